"""QR codes as inline SVG (core.qr), named here for the classes app's callers."""

from core.qr import qr_data_uri, qr_svg

__all__ = ["qr_data_uri", "qr_svg"]
