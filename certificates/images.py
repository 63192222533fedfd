"""The pictures of a certificate template, resized for print.

An editor may upload a 12-megapixel photo as the background: a picture under the
text of an A4 page needs no more than 1600 pixels on its long side (about 140
dpi), and a JPEG of that at quality 55 keeps a certificate's PDF under 150 KB.
Logo, signature and seal keep their transparency as small PNGs. Wagtail's
renditions do the resizing (with Pillow) and store the result, and the paths are
remembered per process, so a warm render neither queries nor resizes.
"""

from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from django.conf import settings

# What each picture of the template is turned into; sizes in pixels for 150 to 300
# dpi at the size printed (seal and signature a little more, as stamps and
# handwriting have fine lines).
RENDITIONS = {
    "background": "max-1600x1600|format-jpeg|jpegquality-55",
    "logo": "max-240x240|format-png",
    "signature": "max-600x300|format-png",
    "seal": "max-320x320|format-png",
}

# (media root, image id, file name, spec) -> rendition file.
_paths: dict[tuple, Path] = {}


def rendition_uri(image, spec: str) -> str:
    """Return the file URI of the image resized by spec, creating it if needed."""
    key = (str(settings.MEDIA_ROOT), image.pk, image.file.name, spec)
    path = _paths.get(key)
    if path is None or not path.exists():
        path = Path(image.get_rendition(spec).file.path).resolve()
        _paths[key] = path
    return path.as_uri()


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
