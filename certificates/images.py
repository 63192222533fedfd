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

WeasyPrint reads the pictures as local files. With media on disk those are the
renditions themselves, and the quantised drawings are kept beside the media, as
they always were. With media in an object store, each machine copies what it
needs into its temporary folder (``_local_folder``): a cache it rebuilds from
the storage, never a file another machine reads.
"""

import hashlib
import io
import os
import tempfile
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from django.conf import settings
from django.core.files.storage import default_storage

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
            path = _local_file(image.get_rendition(spec).file)
        _paths[key] = path
    return path.as_uri()


def _local_folder() -> Path:
    """Return this machine's folder for pictures prepared for print: beside the
    media when they are on disk, else in the temporary folder."""
    try:
        return Path(default_storage.path("certificates/pictures"))
    except NotImplementedError:
        return Path(tempfile.gettempdir()) / "lms-certificate-pictures"


def _storage_key(file) -> str:
    """Name the stored file uniquely across storages (bucket, prefix, name)."""
    storage = file.storage
    where = f"{getattr(storage, 'bucket_name', '')}/{getattr(storage, 'location', '')}"
    return f"{type(storage).__name__}|{where}|{file.name}"


def _local_file(file) -> Path:
    """Return a path on this machine holding the stored file: its own on disk,
    else a copy made once in the local folder."""
    try:
        return Path(file.path).resolve()
    except NotImplementedError:
        pass
    digest = hashlib.sha256(_storage_key(file).encode()).hexdigest()
    path = (_local_folder() / f"{digest[:24]}{Path(file.name).suffix}").resolve()
    if not path.exists():
        with file.open("rb") as source:
            _write_whole(path, source.read())
    return path


def _write_whole(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    # Moved into place whole, so another process never reads half a file.
    partial.replace(path)


def _drawing(image, side: int) -> Path:
    """Return a PNG of the image at most side pixels wide and high, in at most
    COLOURS colours with transparency, made once and kept in the local folder."""
    from PIL import Image

    digest = hashlib.sha256(
        f"{_storage_key(image.file)}|{side}|{COLOURS}".encode()
    ).hexdigest()
    path = (_local_folder() / f"{image.pk}-{digest[:16]}.png").resolve()
    if path.exists():
        return path
    with image.open_file() as source:
        picture = Image.open(source)
        picture.load()
    picture = picture.convert("RGBA")
    picture.thumbnail((side, side), Image.LANCZOS)
    picture = picture.quantize(colors=COLOURS, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    _write_whole(path, buffer.getvalue())
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
