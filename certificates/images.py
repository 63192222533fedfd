"""The pictures of a certificate template, resized for print.

An editor may upload a 12-megapixel photo as the background: a picture under the
text of an A4 page needs no more than 1600 pixels on its long side (about 140
dpi), and a JPEG of that at quality 50 keeps a certificate's PDF under 150 KB; a
Wagtail rendition makes it. Logo, signature and seal keep their transparency as
PNGs of at most 32 colours: a resized drawing has soft edges of many colours that
compress badly, and WeasyPrint embeds a PNG as raw pixels, so a full-colour seal
alone weighed 65 kB; quantised it is a third of that, and a stamp or a signature
has few colours anyway. The files are kept, and their paths remembered per
process, so a warm render neither queries nor resizes.
"""

import hashlib
import os
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from django.conf import settings

BACKGROUND = "max-1600x1600|format-jpeg|jpegquality-50"
# The largest side in pixels of each drawing, for 200 to 300 dpi as printed
# (logo 20 mm, signature 24 mm high, seal 33 mm).
DRAWINGS = {"logo": 240, "signature": 600, "seal": 280}
COLOURS = 32
RENDITIONS = {"background": BACKGROUND, **DRAWINGS}

# (media root, image id, file name, spec) -> resized file.
_paths: dict[tuple, Path] = {}


def rendition_uri(image, spec: str | int) -> str:
    """Return the file URI of the image resized by spec, creating it if needed:
    a Wagtail rendition filter, or the largest side of a quantised PNG."""
    key = (str(settings.MEDIA_ROOT), image.pk, image.file.name, spec)
    path = _paths.get(key)
    if path is None or not path.exists():
        if isinstance(spec, int):
            path = _drawing(image, spec)
        else:
            path = Path(image.get_rendition(spec).file.path).resolve()
        _paths[key] = path
    return path.as_uri()


def _drawing(image, side: int) -> Path:
    """Return a PNG of the image at most side pixels wide and high, in at most
    COLOURS colours with transparency, made once and kept beside the media."""
    from PIL import Image

    digest = hashlib.sha256(f"{image.file.name}|{side}|{COLOURS}".encode()).hexdigest()
    folder = Path(settings.MEDIA_ROOT) / "certificates" / "pictures"
    path = (folder / f"{image.pk}-{digest[:16]}.png").resolve()
    if path.exists():
        return path
    with image.open_file() as source:
        picture = Image.open(source)
        picture.load()
    picture = picture.convert("RGBA")
    picture.thumbnail((side, side), Image.LANCZOS)
    picture = picture.quantize(colors=COLOURS, method=Image.Quantize.FASTOCTREE)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    picture.save(partial, "PNG", optimize=True)
    # Moved into place whole, so another process never reads half a file.
    partial.replace(path)
    return path


# (media root, template id, updated at) -> {picture: file URI}; the files are
# checked before use, so a deleted rendition is made again.
_templates: dict[tuple, dict[str, str]] = {}


def template_image_uris(template, *, remember: bool = True) -> dict[str, str]:
    """Return the file URI of each picture the template has, keyed as RENDITIONS.

    Remembered until the template is saved again, so only the first certificate of
    a template loads its images. A preview of unsaved changes is not remembered.
    """
    remember = remember and template.pk is not None
    key = (str(settings.MEDIA_ROOT), template.pk, template.updated_at)
    uris = _templates.get(key) if remember else None
    if uris is not None and all(
        Path(url2pathname(urlparse(uri).path)).exists() for uri in uris.values()
    ):
        return uris
    uris = {}
    for name, spec in RENDITIONS.items():
        if getattr(template, f"{name}_id") is None:
            continue
        image = getattr(template, name)
        if image is not None:
            uris[name] = rendition_uri(image, spec)
    if remember:
        _templates[key] = uris
    return uris
