"""Draw a ``Screen`` as a stylised phone mock-up, 720x1280, as PNG bytes.

The drawings are illustrations, not screenshots: they show the shape of each
screen (where the field is, which button to tap) with the real Vietnamese labels,
and stay readable when the real sites change their colours.
"""

import hashlib
import math
import random

from PIL import Image, ImageDraw

from . import spec
from .drawing import draw_lines, font, line_height, nfc, png_bytes, tick, wrap

WIDTH, HEIGHT = 720, 1280
MIN_HEIGHT = 880
PHONE = (60, 18, 660, 1262)
BEZEL = 14
SCREEN_W = PHONE[2] - PHONE[0] - 2 * BEZEL
SCREEN_H = PHONE[3] - PHONE[1] - 2 * BEZEL
PAD = 30
INNER_W = SCREEN_W - 2 * PAD

HIGHLIGHT = "#f59e0b"
INK = "#111827"
BODY = "#374151"
MUTED = "#6b7280"
LINE = "#d1d5db"

ACCENTS = {
    spec.APP_PORTAL: "#b3261e",
    spec.APP_VNEID: "#d3202f",
    spec.APP_BANK: "#0f766e",
    spec.APP_SMS: "#2563eb",
    spec.APP_CALL: "#16a34a",
    spec.APP_STORE: "#01875f",
    spec.APP_BROWSER: "#2563eb",
}
NOTICE_COLOURS = {
    "info": ("#eff6ff", "#93c5fd", "#1e3a8a"),
    "ok": ("#ecfdf5", "#6ee7b7", "#065f46"),
    "warn": ("#fffbeb", "#fcd34d", "#92400e"),
    "danger": ("#fef2f2", "#fca5a5", "#991b1b"),
}
TILE_COLOURS = ["#d3202f", "#2563eb", "#0f766e", "#7c3aed", "#ea580c", "#0891b2"]


def render_screen(screen: spec.Screen) -> bytes:
    """Return the screen drawn inside a phone frame, as PNG bytes.

    A screen whose content ends high up is cut off below it, the phone running on
    past the picture's edge, so a lesson does not scroll past empty screen.
    """
    canvas, _painter = _render(screen)
    return png_bytes(canvas)


def screen_regions(screen: spec.Screen) -> dict[str, tuple[float, ...]]:
    """Return where each button and field of the drawn screen is, by its label,
    as (left, top, width, height) in per cent of the picture: the regions of a
    hotspot question on it."""
    canvas, painter = _render(screen)
    width, height = canvas.size
    left, top = PHONE[0] + BEZEL, PHONE[1] + BEZEL
    return {
        label: (
            round(100 * (box[0] + left) / width, 3),
            round(100 * (box[1] + top) / height, 3),
            round(100 * (box[2] - box[0]) / width, 3),
            round(100 * (box[3] - box[1]) / height, 3),
        )
        for label, box in painter.boxes.items()
    }


def _render(screen: spec.Screen):
    canvas = Image.new("RGB", (WIDTH, HEIGHT), "#e7ecf3")
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle(PHONE, radius=64, fill="#1f2937")
    draw.rounded_rectangle(
        (PHONE[0] + 4, PHONE[1] + 4, PHONE[2] - 4, PHONE[3] - 4),
        radius=60,
        outline="#374151",
        width=2,
    )

    face = Image.new("RGB", (SCREEN_W, SCREEN_H), "white")
    painter = _Painter(face, screen)
    painter.paint()
    mask = Image.new("L", face.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, SCREEN_W - 1, SCREEN_H - 1), radius=50, fill=255
    )
    canvas.paste(face, (PHONE[0] + BEZEL, PHONE[1] + BEZEL), mask)
    # The front camera.
    cx = WIDTH // 2
    draw.ellipse((cx - 9, PHONE[1] + BEZEL + 12, cx + 9, PHONE[1] + BEZEL + 30), "#111")
    if screen.app != spec.APP_CALL:
        bottom = PHONE[1] + BEZEL + painter.y + 90
        height = min(HEIGHT, max(MIN_HEIGHT, -(-bottom // 40) * 40))
        canvas = canvas.crop((0, 0, WIDTH, height))
    return canvas, painter


def star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    """Return the points of a five-pointed star centred on (cx, cy)."""
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    return points


class _Painter:
    def __init__(self, image: Image.Image, screen: spec.Screen):
        self.image = image
        self.draw = ImageDraw.Draw(image)
        self.screen = screen
        self.accent = ACCENTS.get(screen.app, "#2563eb")
        self.y = 0
        self.extra = 0
        # Where each button and field was drawn, by label (``screen_regions``).
        self.boxes: dict[str, tuple] = {}

    # --- chrome ---------------------------------------------------------------

    def paint(self):
        dark = self.screen.app == spec.APP_CALL
        if dark:
            self.draw.rectangle((0, 0, SCREEN_W, SCREEN_H), fill="#0f172a")
        self.status_bar(dark=dark)
        chrome = {
            spec.APP_PORTAL: self.portal_header,
            spec.APP_BROWSER: self.browser_header,
            spec.APP_VNEID: self.vneid_header,
            spec.APP_BANK: self.bank_header,
            spec.APP_SMS: self.sms_header,
            spec.APP_STORE: self.store_header,
        }.get(self.screen.app)
        if chrome:
            chrome()
        self.y += 26
        for element in self.screen.elements:
            method = getattr(self, "el_" + type(element).__name__.lower())
            self.extra = 0
            method(element)
            self.y += 22 + self.extra

    def status_bar(self, *, dark: bool):
        colour = "white" if dark else INK
        self.draw.text((PAD + 4, 12), "9:41", font=font(22, bold=True), fill=colour)
        x = SCREEN_W - PAD - 40
        for i in range(4):
            h = 6 + i * 4
            self.draw.rectangle((x - 60 + i * 9, 32 - h, x - 54 + i * 9, 32), colour)
        self.draw.rounded_rectangle((x - 8, 16, x + 30, 33), 4, outline=colour, width=2)
        self.draw.rectangle((x - 4, 20, x + 20, 29), fill=colour)
        self.y = 48

    def address_bar(self):
        top = self.y
        self.draw.rectangle((0, top, SCREEN_W, top + 70), fill="#f3f4f6")
        self.draw.rounded_rectangle(
            (PAD - 10, top + 10, SCREEN_W - PAD + 10, top + 60), 25, fill="white"
        )
        # A padlock: the page is served over HTTPS.
        lx, ly = PAD + 8, top + 27
        self.draw.arc((lx, ly - 8, lx + 14, ly + 8), 180, 360, fill=MUTED, width=3)
        self.draw.rectangle((lx - 2, ly, lx + 16, ly + 14), fill=MUTED)
        self.draw.text(
            (PAD + 36, top + 19), nfc(self.screen.address), font=font(21), fill=BODY
        )
        self.y = top + 70

    def portal_header(self):
        self.address_bar()
        top = self.y
        self.draw.rectangle((0, top, SCREEN_W, top + 96), fill=self.accent)
        # A stylised emblem: a gold disc with a red star.
        cx, cy, r = PAD + 30, top + 48, 30
        self.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill="#f5c542")
        self.draw.polygon(star(cx, cy, 20), fill=self.accent)
        title = self.screen.header or "CỔNG DỊCH VỤ CÔNG QUỐC GIA"
        self.draw.text(
            (PAD + 74, top + 18), nfc(title), font=font(22, bold=True), fill="white"
        )
        self.draw.text(
            (PAD + 74, top + 52),
            nfc("Kết nối, cung cấp thông tin và dịch vụ công"),
            font=font(16),
            fill="#fde7e4",
        )
        self.y = top + 96

    def browser_header(self):
        self.address_bar()
        if self.screen.header:
            top = self.y
            self.draw.rectangle((0, top, SCREEN_W, top + 80), fill=self.accent)
            self.draw.text(
                (PAD, top + 22),
                nfc(self.screen.header),
                font=font(26, bold=True),
                fill="white",
            )
            self.y = top + 80

    def vneid_header(self):
        top = self.y
        self.draw.rectangle((0, top, SCREEN_W, top + 96), fill="white")
        self.draw.line((0, top + 95, SCREEN_W, top + 95), fill=LINE, width=2)
        self.draw.rounded_rectangle(
            (PAD, top + 16, PAD + 64, top + 80), 16, fill=self.accent
        )
        self.draw.polygon(star(PAD + 32, top + 48, 22), fill="#fde047")
        self.draw.text(
            (PAD + 82, top + 12), "VNeID", font=font(34, bold=True), fill=self.accent
        )
        self.draw.text(
            (PAD + 84, top + 58),
            nfc(self.screen.header or "Định danh điện tử"),
            font=font(18),
            fill=MUTED,
        )
        self.y = top + 96

    def bank_header(self):
        top = self.y
        self.draw.rectangle((0, top, SCREEN_W, top + 90), fill=self.accent)
        self.draw.text(
            (PAD, top + 24),
            nfc(self.screen.header or "Ngân hàng của bạn"),
            font=font(26, bold=True),
            fill="white",
        )
        self.y = top + 90

    def sms_header(self):
        top = self.y
        self.draw.rectangle((0, top, SCREEN_W, top + 90), fill="#f3f4f6")
        self.draw.line((PAD + 14, top + 30, PAD, top + 45), fill=self.accent, width=4)
        self.draw.line((PAD, top + 45, PAD + 14, top + 60), fill=self.accent, width=4)
        self.draw.ellipse((PAD + 36, top + 20, PAD + 86, top + 70), fill="#9ca3af")
        self.draw.text(
            (PAD + 102, top + 28),
            nfc(self.screen.header or "Tin nhắn"),
            font=font(24, bold=True),
            fill=INK,
        )
        self.y = top + 90

    def store_header(self):
        top = self.y + 10
        self.draw.rounded_rectangle(
            (PAD - 6, top, SCREEN_W - PAD + 6, top + 60), 30, fill="#f1f3f4"
        )
        self.draw.ellipse(
            (PAD + 12, top + 16, PAD + 36, top + 40), outline=MUTED, width=3
        )
        self.draw.line((PAD + 33, top + 37, PAD + 44, top + 48), fill=MUTED, width=3)
        self.draw.text(
            (PAD + 60, top + 14),
            nfc(self.screen.header or "VNeID"),
            font=font(22),
            fill=INK,
        )
        self.y = top + 70

    # --- highlight -------------------------------------------------------------

    def ring(self, box, radius=14, mark=None):
        """Circle the element to tap, with a touch mark where the finger goes."""
        x0, y0, x1, y1 = box
        self.draw.rounded_rectangle(
            (x0 - 8, y0 - 8, x1 + 8, y1 + 8), radius + 8, outline=HIGHLIGHT, width=6
        )
        cx, cy = mark or (x1 - 78, (y0 + y1) / 2 + 12)
        self.extra = 10
        for r, colour in ((24, HIGHLIGHT), (15, "white"), (9, HIGHLIGHT)):
            self.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)

    # --- elements ----------------------------------------------------------------

    def el_spacer(self, el: spec.Spacer):
        self.y += el.height - 22

    def el_title(self, el: spec.Title):
        face = font(30, bold=True)
        self.y = draw_lines(
            self.draw, (PAD, self.y), wrap(el.text, face, INNER_W), face, INK
        )

    def el_text(self, el: spec.Text):
        face = font(22)
        colour = MUTED if el.muted else BODY
        self.y = draw_lines(
            self.draw, (PAD, self.y), wrap(el.text, face, INNER_W), face, colour
        )

    def el_field(self, el: spec.Field):
        self.draw.text((PAD, self.y), nfc(el.label), font=font(20), fill=MUTED)
        top = self.y + 34
        box = (PAD, top, SCREEN_W - PAD, top + 62)
        self.boxes[el.label] = box
        self.draw.rounded_rectangle(box, 12, outline="#9ca3af", width=2, fill="white")
        if el.value:
            text = "•" * min(len(el.value), 10) if el.secret else el.value
            self.draw.text((PAD + 18, top + 14), nfc(text), font=font(24), fill=INK)
        elif el.placeholder:
            self.draw.text(
                (PAD + 18, top + 15), nfc(el.placeholder), font=font(22), fill="#9ca3af"
            )
        if el.dropdown:
            x, y = SCREEN_W - PAD - 36, top + 26
            self.draw.polygon([(x, y), (x + 18, y), (x + 9, y + 11)], fill=MUTED)
        if el.highlight:
            self.ring(box, 12, mark=(box[2] - 40, top + 31))
        self.y = top + 62

    def el_button(self, el: spec.Button):
        box = (PAD, self.y, SCREEN_W - PAD, self.y + 68)
        self.boxes[el.label] = box
        label = nfc(el.label)
        size = 24
        # Long labels shrink to leave room for the touch mark.
        while size > 18 and font(size, bold=True).getlength(label) > INNER_W - 110:
            size -= 1
        face = font(size, bold=True)
        if el.primary:
            self.draw.rounded_rectangle(box, 34, fill=self.accent)
            colour = "white"
        else:
            self.draw.rounded_rectangle(box, 34, outline=self.accent, width=3)
            colour = self.accent
        self.draw.text(
            ((SCREEN_W - face.getlength(label)) / 2, self.y + 34 - size * 0.7),
            label,
            font=face,
            fill=colour,
        )
        if el.highlight:
            # The touch mark sits right of the label, never on it.
            mark_x = max(box[2] - 78, (SCREEN_W + face.getlength(label)) / 2 + 30)
            self.ring(box, 34, mark=(min(mark_x, box[2] - 12), self.y + 46))
        self.y += 68

    def el_menu(self, el: spec.Menu):
        face = font(23)
        for index, item in enumerate(el.items):
            lines = wrap(item, face, INNER_W - 50)
            height = max(72, 28 + line_height(face) * len(lines))
            box = (PAD - 10, self.y, SCREEN_W - PAD + 10, self.y + height)
            if index == el.highlight:
                self.draw.rounded_rectangle(box, 12, fill="#fff7ed")
            draw_lines(self.draw, (PAD, self.y + 14), lines, face, INK)
            cx, cy = SCREEN_W - PAD - 8, self.y + height / 2
            self.draw.line(
                (PAD, self.y + height, SCREEN_W - PAD, self.y + height), LINE
            )
            if index == el.highlight:
                self.ring(box, 12, mark=(cx - 14, cy))
            else:
                self.draw.line(
                    (cx - 8, cy - 10, cx, cy, cx - 8, cy + 10), fill=MUTED, width=3
                )
            self.y += height

    def el_tiles(self, el: spec.Tiles):
        gap = 18
        tile_w = (INNER_W - gap) // 2
        face = font(20, bold=True)
        for index, item in enumerate(el.items):
            col, row = index % 2, index // 2
            x = PAD + col * (tile_w + gap)
            y = self.y + row * (130 + gap)
            box = (x, y, x + tile_w, y + 130)
            self.draw.rounded_rectangle(
                box, 16, fill="#f9fafb", outline="#e5e7eb", width=2
            )
            colour = TILE_COLOURS[index % len(TILE_COLOURS)]
            self.draw.rounded_rectangle(
                (x + 18, y + 16, x + 66, y + 64), 12, fill=colour
            )
            self.draw.text(
                (x + 42, y + 40),
                nfc(item[0]),
                font=font(24, bold=True),
                fill="white",
                anchor="mm",
            )
            draw_lines(
                self.draw,
                (x + 18, y + 70),
                wrap(item, face, tile_w - 30)[:2],
                face,
                INK,
            )
            if index == el.highlight:
                self.ring(box, 16, mark=(x + tile_w - 36, y + 38))
        rows = (len(el.items) + 1) // 2
        self.y += rows * (130 + gap) - gap

    def el_otp(self, el: spec.Otp):
        size, gap = 64, 14
        total = len(el.digits) * size + (len(el.digits) - 1) * gap
        x = (SCREEN_W - total) / 2
        for digit in el.digits:
            self.draw.rounded_rectangle(
                (x, self.y, x + size, self.y + size + 8),
                12,
                outline=self.accent,
                width=3,
            )
            self.draw.text(
                (x + size / 2, self.y + size / 2 + 4),
                digit,
                font=font(32, bold=True),
                fill=INK,
                anchor="mm",
            )
            x += size + gap
        self.y += size + 8

    def el_qr(self, el: spec.Qr):
        modules, cell = 25, 11
        side = modules * cell
        x0 = (SCREEN_W - side) // 2
        y0 = self.y + 10
        self.draw.rectangle(
            (x0 - 16, y0 - 16, x0 + side + 16, y0 + side + 16),
            fill="white",
            outline=LINE,
        )
        seed = int(hashlib.sha256(self.screen.title.encode()).hexdigest()[:8], 16)
        rng = random.Random(seed)
        for row in range(modules):
            for col in range(modules):
                finder = (
                    (row < 8 and col < 8)
                    or (row < 8 and col >= 17)
                    or (row >= 17 and col < 8)
                )
                if not finder and rng.random() < 0.5:
                    self.draw.rectangle(
                        (
                            x0 + col * cell,
                            y0 + row * cell,
                            x0 + (col + 1) * cell - 1,
                            y0 + (row + 1) * cell - 1,
                        ),
                        fill=INK,
                    )
        for fx, fy in ((0, 0), (17, 0), (0, 17)):
            bx, by = x0 + fx * cell, y0 + fy * cell
            self.draw.rectangle(
                (bx, by, bx + 7 * cell - 1, by + 7 * cell - 1), fill=INK
            )
            self.draw.rectangle(
                (bx + cell, by + cell, bx + 6 * cell - 1, by + 6 * cell - 1),
                fill="white",
            )
            self.draw.rectangle(
                (bx + 2 * cell, by + 2 * cell, bx + 5 * cell - 1, by + 5 * cell - 1),
                fill=INK,
            )
        self.y = y0 + side + 30
        if el.caption:
            face = font(21)
            self.y = draw_lines(
                self.draw,
                (PAD, self.y),
                wrap(el.caption, face, INNER_W),
                face,
                MUTED,
                centre_width=INNER_W,
            )

    def el_timeline(self, el: spec.Timeline):
        bold, small = font(23, bold=True), font(19)
        for index, (label, when, state) in enumerate(el.rows):
            cx, cy = PAD + 18, self.y + 18
            if index < len(el.rows) - 1:
                self.draw.line((cx, cy + 18, cx, cy + 92), fill=LINE, width=4)
            if state == "done":
                self.draw.ellipse((cx - 18, cy - 18, cx + 18, cy + 18), fill="#16a34a")
                tick(self.draw, cx, cy, 16, "white", 4)
            elif state == "now":
                self.draw.ellipse((cx - 18, cy - 18, cx + 18, cy + 18), fill=HIGHLIGHT)
                self.draw.ellipse((cx - 7, cy - 7, cx + 7, cy + 7), fill="white")
            else:
                self.draw.ellipse(
                    (cx - 16, cy - 16, cx + 16, cy + 16), outline="#9ca3af", width=3
                )
            colour = INK if state != "todo" else MUTED
            self.draw.text((PAD + 54, self.y + 2), nfc(label), font=bold, fill=colour)
            self.draw.text((PAD + 54, self.y + 38), nfc(when), font=small, fill=MUTED)
            self.y += 94
        self.y -= 20

    def el_notice(self, el: spec.Notice):
        bg, border, ink = NOTICE_COLOURS[el.kind]
        face = font(21)
        lines = wrap(el.text, face, INNER_W - 78)
        height = max(76, 32 + line_height(face) * len(lines))
        self.draw.rounded_rectangle(
            (PAD, self.y, SCREEN_W - PAD, self.y + height),
            14,
            fill=bg,
            outline=border,
            width=2,
        )
        cx, cy = PAD + 32, self.y + 36
        self.draw.ellipse((cx - 16, cy - 16, cx + 16, cy + 16), fill=ink)
        if el.kind == "ok":
            tick(self.draw, cx, cy, 14, "white", 4)
        else:
            mark = "i" if el.kind == "info" else "!"
            self.draw.text(
                (cx, cy), mark, font=font(22, bold=True), fill="white", anchor="mm"
            )
        draw_lines(self.draw, (PAD + 62, self.y + 16), lines, face, ink)
        self.y += height

    def el_sms(self, el: spec.Sms):
        face = font(22)
        lines = wrap(el.text, face, INNER_W - 70)
        height = 30 + line_height(face) * len(lines)
        box = (PAD, self.y, SCREEN_W - PAD - 40, self.y + height)
        self.draw.rounded_rectangle(box, 22, fill="#fee2e2" if el.danger else "#e5e7eb")
        y = self.y + 14
        for line in lines:
            x = PAD + 20
            for word in line.split(" "):
                link = (
                    "http" in word or "www." in word or ".com" in word or ".vip" in word
                )
                self.draw.text((x, y), word, font=face, fill="#1d4ed8" if link else INK)
                width = face.getlength(word)
                if link:
                    self.draw.line(
                        (x, y + 29, x + width, y + 29), fill="#1d4ed8", width=2
                    )
                x += width + face.getlength(" ")
            y += line_height(face)
        self.y += height + 8
        if el.time:
            self.draw.text((PAD + 10, self.y), nfc(el.time), font=font(18), fill=MUTED)
            self.y += 26

    def el_call(self, el: spec.Call):
        self.y += 110
        self.draw.ellipse(
            (SCREEN_W / 2 - 70, self.y, SCREEN_W / 2 + 70, self.y + 140), fill="#334155"
        )
        self.draw.ellipse(
            (SCREEN_W / 2 - 26, self.y + 26, SCREEN_W / 2 + 26, self.y + 78),
            fill="#94a3b8",
        )
        self.draw.pieslice(
            (SCREEN_W / 2 - 50, self.y + 84, SCREEN_W / 2 + 50, self.y + 184),
            180,
            360,
            fill="#94a3b8",
        )
        self.y += 180
        self.draw.text(
            (SCREEN_W / 2, self.y),
            nfc(el.number),
            font=font(40, bold=True),
            fill="white",
            anchor="mt",
        )
        self.y += 64
        face = font(22)
        self.y = draw_lines(
            self.draw,
            (PAD, self.y),
            wrap(el.label, face, INNER_W),
            face,
            "#cbd5e1",
            centre_width=INNER_W,
        )
        # Decline and answer buttons at the bottom of the screen.
        bottom = SCREEN_H - 170
        for cx, colour in ((SCREEN_W * 0.28, "#dc2626"), (SCREEN_W * 0.72, "#16a34a")):
            self.draw.ellipse((cx - 48, bottom - 48, cx + 48, bottom + 48), fill=colour)
            self.draw.rounded_rectangle(
                (cx - 24, bottom - 8, cx + 24, bottom + 8), 8, fill="white"
            )
        self.draw.text(
            (SCREEN_W * 0.28, bottom + 64),
            nfc("Từ chối"),
            font=font(20),
            fill="white",
            anchor="mt",
        )
        self.draw.text(
            (SCREEN_W * 0.72, bottom + 64),
            nfc("Trả lời"),
            font=font(20),
            fill="white",
            anchor="mt",
        )

    def el_card(self, el: spec.Card):
        bold, small = font(24, bold=True), font(20)
        titles = wrap(el.title, bold, INNER_W - 48)
        height = (
            34 + line_height(bold) * len(titles) + line_height(small) * len(el.lines)
        )
        box = (PAD, self.y, SCREEN_W - PAD, self.y + height)
        self.draw.rounded_rectangle(box, 18, fill=el.colour)
        y = draw_lines(self.draw, (PAD + 24, self.y + 16), titles, bold, "white")
        draw_lines(
            self.draw, (PAD + 24, y), [nfc(line) for line in el.lines], small, "#f1f5f9"
        )
        if el.highlight:
            self.ring(box, 18, mark=(box[2] - 40, box[3] - 34))
        self.y += height

    def el_check(self, el: spec.Check):
        face = font(22)
        lines = wrap(el.label, face, INNER_W - 54)
        box = (PAD, self.y + 2, PAD + 32, self.y + 34)
        if el.checked:
            self.draw.rounded_rectangle(box, 6, fill=self.accent)
            tick(self.draw, PAD + 16, self.y + 18, 14, "white", 4)
        else:
            self.draw.rounded_rectangle(box, 6, outline="#6b7280", width=3)
        end = draw_lines(self.draw, (PAD + 50, self.y), lines, face, BODY)
        if el.highlight:
            self.ring((PAD, self.y, SCREEN_W - PAD, end - 6), 8)
        self.y = end - 8

    def el_attachment(self, el: spec.Attachment):
        top = self.y
        self.draw.rounded_rectangle(
            (PAD, top, SCREEN_W - PAD, top + 76),
            12,
            fill="#f9fafb",
            outline=LINE,
            width=2,
        )
        x = PAD + 18
        self.draw.polygon(
            [
                (x, top + 14),
                (x + 30, top + 14),
                (x + 42, top + 26),
                (x + 42, top + 62),
                (x, top + 62),
            ],
            fill="#dbeafe",
            outline="#2563eb",
        )
        self.draw.text(
            (PAD + 78, top + 10), nfc(el.name), font=font(21, bold=True), fill=INK
        )
        self.draw.text((PAD + 78, top + 42), nfc(el.size), font=font(18), fill=MUTED)
        cx, cy = SCREEN_W - PAD - 34, top + 38
        self.draw.ellipse((cx - 16, cy - 16, cx + 16, cy + 16), fill="#16a34a")
        tick(self.draw, cx, cy, 14, "white", 4)
        self.y = top + 76
