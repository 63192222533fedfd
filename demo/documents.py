"""Make a ``Handout`` into a one-page A4 PDF with real, selectable text."""

from django.utils.html import escape

from . import spec
from .drawing import FONT_DIR

_STYLE = """
@font-face {{ font-family: "Noto Sans"; src: url("{regular}"); }}
@font-face {{ font-family: "Noto Sans"; font-weight: bold; src: url("{bold}"); }}
@page {{ size: A4; margin: 16mm 18mm 18mm; }}
body {{ font-family: "Noto Sans"; font-size: 10.5pt; color: #1f2937;
        line-height: 1.4; }}
header {{ border-bottom: 3pt solid #1d4ed8; padding-bottom: 6pt; margin-bottom: 10pt; }}
header p {{ margin: 0; color: #1d4ed8; font-weight: bold; font-size: 9pt;
           letter-spacing: .5pt; text-transform: uppercase; }}
h1 {{ font-size: 17pt; margin: 2pt 0 0; color: #111827; }}
h2 {{ font-size: 11.5pt; margin: 12pt 0 4pt; color: #1d4ed8; }}
ul {{ list-style: none; padding: 0; margin: 0; }}
li {{ padding: 3pt 0 3pt 20pt; position: relative; border-bottom: .5pt solid #e5e7eb; }}
li::before {{ content: ""; position: absolute; left: 0; top: 5pt; width: 9pt;
             height: 9pt; border: 1pt solid #374151; border-radius: 1.5pt; }}
footer {{ margin-top: 14pt; font-size: 9pt; color: #4b5563; }}
"""


def render_handout(handout: spec.Handout) -> bytes:
    """Return the handout as PDF bytes."""
    from weasyprint import HTML  # Imported here: it takes a moment to load.

    style = _STYLE.format(
        regular=(FONT_DIR / "NotoSans-Regular.ttf").as_uri(),
        bold=(FONT_DIR / "NotoSans-Bold.ttf").as_uri(),
    )
    sections = "".join(
        f"<h2>{escape(title)}</h2><ul>"
        + "".join(f"<li>{escape(line)}</li>" for line in lines)
        + "</ul>"
        for title, lines in handout.sections
    )
    html = (
        f'<html lang="vi"><head><meta charset="utf-8"><title>{escape(handout.title)}'
        f"</title><style>{style}</style></head><body>"
        f"<header><p>Kỹ năng số cho mọi người</p><h1>{escape(handout.heading)}</h1>"
        f"</header><p>{escape(handout.intro)}</p>{sections}"
        f"<footer>{escape(handout.footer)}</footer></body></html>"
    )
    return HTML(string=html).write_pdf()
