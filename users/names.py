"""Vietnamese names in the order a class roll lists them."""

from core.text import fold


def roll_order_key(full_name: str) -> tuple[str, str, str]:
    """Return a sort key putting names in roll order: by given name (the last
    word), then by the whole name, with Đ beside D ("Đặng Văn An" before
    "Hoàng Thị Bình"), and the exact spelling last to keep the order stable."""
    words = fold(full_name).split()
    given = words[-1] if words else ""
    return (given, " ".join(words), full_name)
