"""Draw a course's cover picture, 1200x675, as JPEG bytes."""

from PIL import Image, ImageColor, ImageDraw

from . import spec
from .drawing import draw_lines, font, jpeg_bytes, tick, wrap
from .screens import star

WIDTH, HEIGHT = 1200, 675


def _shade(colour: str, factor: float) -> tuple[int, int, int]:
    r, g, b = ImageColor.getrgb(colour)[:3]
    return (int(r * factor), int(g * factor), int(b * factor))


def render_cover(cover: spec.Cover) -> bytes:
    """Return the cover: heading on the left, the course's motif on the right."""
    top, bottom = ImageColor.getrgb(cover.colour)[:3], _shade(cover.colour, 0.62)
    ramp = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    image = Image.composite(
        Image.new("RGB", (WIDTH, HEIGHT), bottom),
        Image.new("RGB", (WIDTH, HEIGHT), top),
        ramp,
    )
    overlay = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    # Soft discs in the background, always in the same places.
    for x, y, r in ((1040, 90, 220), (760, 640, 160), (90, 700, 130)):
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 22))
    MOTIFS[cover.motif](draw, cover)
    image = Image.alpha_composite(image.convert("RGBA"), overlay)

    text = ImageDraw.Draw(image)
    text.rounded_rectangle((72, 72, 262, 116), 22, fill=(255, 255, 255, 235))
    text.text(
        (167, 94), "KHÓA HỌC", font=font(24, bold=True), fill=cover.colour, anchor="mm"
    )
    face = font(56, bold=True)
    y = draw_lines(text, (72, 150), wrap(cover.heading, face, 520), face, "white")
    small = font(28)
    draw_lines(text, (72, y + 18), wrap(cover.subheading, small, 500), small, "#f8fafc")
    return jpeg_bytes(image, quality=84)


WHITE = (255, 255, 255, 255)
GLASS = (255, 255, 255, 60)


def _phone(draw, x, y, w=250, h=470):
    draw.rounded_rectangle((x, y, x + w, y + h), 36, fill=(17, 24, 39, 255))
    draw.rounded_rectangle((x + 12, y + 12, x + w - 12, y + h - 12), 28, fill=WHITE)
    return (x + 12, y + 12, x + w - 12, y + h - 12)


def _motif_id_card(draw, cover):
    sx0, sy0, sx1, sy1 = _phone(draw, 790, 120)
    accent = ImageColor.getrgb(cover.colour)[:3] + (255,)
    draw.rounded_rectangle((sx0 + 20, sy0 + 40, sx1 - 20, sy0 + 110), 16, fill=accent)
    draw.polygon(star(sx0 + 56, sy0 + 75, 22), fill=(253, 224, 71, 255))
    draw.text((sx0 + 90, sy0 + 56), "VNeID", font=font(30, bold=True), fill=WHITE)
    for i in range(3):
        top = sy0 + 140 + i * 80
        draw.rounded_rectangle(
            (sx0 + 20, top, sx1 - 20, top + 64), 14, fill=(241, 245, 249, 255)
        )
        draw.rounded_rectangle(
            (sx0 + 32, top + 12, sx0 + 72, top + 52), 10, fill=accent
        )
        draw.rounded_rectangle(
            (sx0 + 86, top + 18, sx1 - 40, top + 28), 5, fill=(203, 213, 225, 255)
        )
        draw.rounded_rectangle(
            (sx0 + 86, top + 38, sx1 - 80, top + 46), 4, fill=(226, 232, 240, 255)
        )
    # An identity card leaning on the phone.
    card = (650, 390, 930, 560)
    draw.rounded_rectangle(card, 20, fill=(254, 249, 231, 255), outline=WHITE, width=4)
    draw.ellipse((675, 430, 755, 510), fill=(148, 163, 184, 255))
    draw.rounded_rectangle((775, 430, 905, 442), 6, fill=(100, 116, 139, 255))
    draw.rounded_rectangle((775, 460, 885, 470), 5, fill=(148, 163, 184, 255))
    draw.rounded_rectangle((775, 486, 865, 496), 5, fill=(148, 163, 184, 255))
    draw.rounded_rectangle((680, 520, 720, 548), 6, fill=(234, 179, 8, 255))


def _motif_portal(draw, cover):
    accent = ImageColor.getrgb(cover.colour)[:3] + (255,)
    window = (700, 130, 1130, 520)
    draw.rounded_rectangle(window, 24, fill=WHITE)
    draw.rounded_rectangle((700, 130, 1130, 190), 24, fill=(241, 245, 249, 255))
    draw.rectangle((700, 170, 1130, 190), fill=(241, 245, 249, 255))
    for i, colour in enumerate(((239, 68, 68), (234, 179, 8), (34, 197, 94))):
        draw.ellipse((724 + i * 28, 152, 740 + i * 28, 168), fill=colour + (255,))
    draw.rounded_rectangle((820, 146, 1100, 174), 14, fill=WHITE)
    draw.text((838, 147), "dichvucong.gov.vn", font=font(19), fill=(71, 85, 105, 255))
    draw.rectangle((700, 190, 1130, 250), fill=accent)
    draw.ellipse((720, 198, 764, 242), fill=(245, 197, 66, 255))
    draw.polygon(star(742, 220, 15), fill=accent)
    draw.rounded_rectangle((780, 210, 1010, 228), 9, fill=(255, 255, 255, 200))
    for i in range(3):
        top = 280 + i * 70
        draw.rounded_rectangle(
            (730, top, 1100, top + 50), 12, outline=(203, 213, 225, 255), width=3
        )
        draw.rounded_rectangle(
            (748, top + 19, 900 - i * 40, top + 31), 6, fill=(203, 213, 225, 255)
        )
    # A phone in front, logged in.
    sx0, sy0, sx1, _ = _phone(draw, 640, 320, 170, 300)
    draw.rectangle((sx0, sy0 + 30, sx1, sy0 + 70), fill=accent)
    draw.ellipse((sx0 + 45, sy0 + 100, sx1 - 45, sy0 + 156), fill=(34, 197, 94, 255))
    tick(draw, (sx0 + sx1) / 2, sy0 + 128, 22, WHITE, 7)


def _motif_dossier(draw, cover):
    accent = ImageColor.getrgb(cover.colour)[:3] + (255,)
    for i, offset in enumerate((40, 20, 0)):
        x, y = 740 + offset, 120 + offset
        draw.rounded_rectangle(
            (x, y, x + 300, y + 390), 18, fill=(255, 255, 255, 120 + 60 * i)
        )
    x, y = 740, 120
    draw.rounded_rectangle((x + 30, y + 34, x + 200, y + 52), 9, fill=accent)
    for i in range(6):
        draw.rounded_rectangle(
            (x + 30, y + 84 + i * 40, x + 270 - (i % 3) * 40, y + 98 + i * 40),
            7,
            fill=(203, 213, 225, 255),
        )
    draw.ellipse((x + 200, y + 300, x + 290, y + 390), fill=(34, 197, 94, 255))
    tick(draw, x + 245, y + 345, 34, WHITE, 9)
    # A coin for the fee paid online.
    draw.ellipse((640, 420, 780, 560), fill=(250, 204, 21, 255), outline=WHITE, width=6)
    draw.text(
        (710, 490), "₫", font=font(72, bold=True), fill=(161, 98, 7, 255), anchor="mm"
    )


def _motif_shield(draw, cover):
    cx, top = 930, 110
    shield = [
        (cx, top),
        (cx + 200, top + 70),
        (cx + 180, top + 300),
        (cx, top + 460),
        (cx - 180, top + 300),
        (cx - 200, top + 70),
    ]
    draw.polygon(shield, fill=WHITE)
    inner = [(x * 0.8 + cx * 0.2, y * 0.8 + (top + 230) * 0.2) for x, y in shield]
    draw.polygon(inner, fill=ImageColor.getrgb(cover.colour)[:3] + (255,))
    # A padlock in the middle.
    draw.rounded_rectangle((cx - 70, top + 200, cx + 70, top + 320), 18, fill=WHITE)
    draw.arc((cx - 48, top + 120, cx + 48, top + 260), 180, 360, fill=WHITE, width=18)
    draw.ellipse((cx - 14, top + 236, cx + 14, top + 264), fill=(15, 23, 42, 255))
    draw.rectangle((cx - 5, top + 256, cx + 5, top + 290), fill=(15, 23, 42, 255))
    # A warning bubble: the suspicious message.
    draw.rounded_rectangle((640, 420, 820, 520), 24, fill=(254, 226, 226, 255))
    draw.polygon([(680, 516), (700, 516), (670, 556)], fill=(254, 226, 226, 255))
    draw.text(
        (730, 470),
        "OTP?",
        font=font(40, bold=True),
        fill=(185, 28, 28, 255),
        anchor="mm",
    )


MOTIFS = {
    "id-card": _motif_id_card,
    "portal": _motif_portal,
    "dossier": _motif_dossier,
    "shield": _motif_shield,
}
