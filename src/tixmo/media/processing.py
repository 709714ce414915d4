"""Image processing with Pillow: check an upload, make the original that is kept, make the renditions.

Blocking and CPU-bound: callers run these functions in a worker thread.

An upload is accepted when its *content* is a JPEG (a phone's MPO too), PNG or WebP — its name and
declared type play no part. It is refused:

* ``413 PAYLOAD_TOO_LARGE`` over ``TIXMO_IMAGE_MAX_BYTES``, or as a decompression bomb: more pixels
  than the limit declared by a file that would expand more than ``BOMB_RATIO`` times when decoded (or
  past Pillow's own bomb threshold, or a compressed text or colour-profile chunk that would);
* ``422 VALIDATION_ERROR`` (field ``file``) with more pixels than ``TIXMO_IMAGE_MAX_PIXELS`` otherwise,
  or when it is empty or cannot be decoded;
* ``415 UNSUPPORTED_MEDIA_TYPE`` when it is anything else.

The kept original is the upload turned upright (EXIF orientation applied) and encoded again from its
pixels alone: no EXIF (GPS position, camera, time), no XMP, no comments — only its colour profile, which
says how to show the colours and nothing about the person. Renditions are made from that original.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from tixmo.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from tixmo.media.models import ImageFormat

# Pillow's format names (as detected from the content) -> ours. MPO is the multi-picture JPEG of phones.
_DETECTED = {
    "JPEG": ImageFormat.JPEG,
    "MPO": ImageFormat.JPEG,
    "PNG": ImageFormat.PNG,
    "WEBP": ImageFormat.WEBP,
}
_PILLOW_NAMES = {ImageFormat.JPEG: "JPEG", ImageFormat.PNG: "PNG", ImageFormat.WEBP: "WEBP"}
# Decoded bytes per byte of file above which an image over the pixel limit counts as a bomb: real photos
# expand 5-30 times, a bomb hundreds to thousands of times.
BOMB_RATIO = 100
FIELD = "file"


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_pixels: int


@dataclass(frozen=True)
class Prepared:
    """The original as it is kept: metadata-free bytes, their format, size and SHA-256."""

    data: bytes
    format: ImageFormat
    width: int
    height: int
    digest: str


@dataclass(frozen=True)
class Rendition:
    width: int  # the nominal width (320, 960, 1920): the image itself is never wider than the original
    format: ImageFormat
    data: bytes


def _bomb(detail: str) -> PayloadTooLarge:
    return PayloadTooLarge(f"Refused as a decompression bomb: {detail}")


def _open(data: bytes, limits: Limits) -> Image.Image:
    """Open (headers only) and check size and pixel count before any pixel is decoded."""
    if len(data) > limits.max_bytes:
        raise PayloadTooLarge(f"The image is larger than {limits.max_bytes} bytes.")
    if not data:
        raise ValidationFailed(FIELD, "The file is empty.")
    try:
        image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"])
    except Image.DecompressionBombError as exc:
        raise _bomb(str(exc)) from exc
    except UnidentifiedImageError as exc:
        raise UnsupportedMediaType("Only JPEG, PNG and WebP images are accepted.") from exc
    except ValueError as exc:  # a compressed text or ICC chunk that would expand past Pillow's limit
        raise _bomb(str(exc)) from exc
    except (OSError, SyntaxError, EOFError) as exc:  # a known format, broken in its headers
        raise ValidationFailed(FIELD, "The image cannot be decoded.") from exc
    if image.format not in _DETECTED:
        raise UnsupportedMediaType("Only JPEG, PNG and WebP images are accepted.")
    width, height = image.size
    pixels = width * height
    if pixels > limits.max_pixels:
        expansion = pixels * len(image.getbands()) / len(data)
        if expansion > BOMB_RATIO:
            raise _bomb(f"{len(data)} bytes declare {width} x {height} pixels.")
        raise ValidationFailed(
            FIELD, f"The image has {width} x {height} pixels, more than the limit of {limits.max_pixels}."
        )
    return image


def _upright_pixels(image: Image.Image) -> Image.Image:
    """The first frame turned upright, in RGB or RGBA, as a new image that carries no metadata at all."""
    try:
        turned = ImageOps.exif_transpose(image)
    except (ValueError, SyntaxError, OSError, KeyError, TypeError):
        turned = image  # an unreadable EXIF block: shown as stored
    if turned.mode.startswith("I;16") or turned.mode == "I":
        turned = turned.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = turned.mode in {"RGBA", "LA", "PA"} or "transparency" in turned.info
    clean = turned.convert("RGBA" if has_alpha else "RGB")  # a copy, even when already in that mode
    clean.info = {}  # the copy's metadata (EXIF, XMP, comments) is dropped; the encoder gets none either
    return clean


def _encode(
    image: Image.Image,
    image_format: ImageFormat,
    icc_profile: bytes | None,
    *,
    quality: int,
    web: bool = False,
) -> bytes:
    """``image`` encoded with nothing but its pixels and colour profile."""
    image.info = {}
    options: dict[str, object] = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == ImageFormat.JPEG:
        if image.mode != "RGB":
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
            image = flat
        # Renditions are shown on the web: progressive, Huffman tables optimized. The original is not
        # worth the extra encoding time (it is rarely shown and larger).
        options.update(quality=quality, optimize=web, progressive=web)
    elif image_format == ImageFormat.WEBP:
        options.update(quality=quality, method=4)
    else:
        options.update(compress_level=6)
    buffer = io.BytesIO()
    image.save(buffer, format=_PILLOW_NAMES[image_format], **options)
    return buffer.getvalue()


def prepare(data: bytes, limits: Limits) -> Prepared:
    """Check an upload and make the original that is kept (see the module's docstring)."""
    image = _open(data, limits)
    image_format = _DETECTED[str(image.format)]
    # The colour profile is kept only for pixels kept as they are: one of a CMYK or grey image no longer
    # describes them once converted to RGB.
    icc_profile = image.info.get("icc_profile") if image.mode in {"RGB", "RGBA"} else None
    try:
        image.seek(0)
        image.load()
        clean = _upright_pixels(image)
    except Image.DecompressionBombError as exc:
        raise _bomb(str(exc)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # truncated or corrupt pixel data
        raise ValidationFailed(FIELD, "The image cannot be decoded.") from exc
    finally:
        image.close()
    kept = _encode(clean, image_format, icc_profile, quality=95)
    return Prepared(
        data=kept,
        format=image_format,
        width=clean.width,
        height=clean.height,
        digest=hashlib.sha256(kept).hexdigest(),
    )


def renditions(original: bytes, widths: tuple[int, ...], formats: tuple[ImageFormat, ...]) -> list[Rendition]:
    """Each width in each format, from a kept original (a trusted image: ``prepare`` made it)."""
    with Image.open(io.BytesIO(original)) as image:
        full_width, full_height = image.size
        icc_profile = image.info.get("icc_profile")
        largest = min(max(widths), full_width)
        if image.format == "JPEG":
            # Decode a JPEG straight at a reduced scale (still at least the largest rendition's size).
            image.draft("RGB", (largest, max(1, round(full_height * largest / full_width))))
        image.load()
        source = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    made: list[Rendition] = []
    # Largest first, each from the one before: every step at least halves the pixels, so Lanczos keeps
    # its quality, and the full-size image is resampled once instead of once per width.
    for width in sorted(widths, reverse=True):
        target = min(width, full_width)
        size = (target, max(1, round(full_height * target / full_width)))
        if source.size != size:
            source = source.resize(size, Image.Resampling.LANCZOS)
        for image_format in formats:
            quality = 82 if image_format == ImageFormat.JPEG else 80
            encoded = _encode(source, image_format, icc_profile, quality=quality, web=True)
            made.append(Rendition(width, image_format, encoded))
    return sorted(made, key=lambda rendition: rendition.width)
