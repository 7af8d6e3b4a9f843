"""Partner logos: checked by content with Pillow, re-encoded as PNG, stored under random names."""

import io
import os
import re
import secrets
import warnings

from flask import current_app
from PIL import Image, UnidentifiedImageError

# Formats people actually upload logos in; anything else (SVG, PDF, ...) is refused.
ACCEPTED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
MAX_SIZE = (480, 240)  # the partner page shows logos at most this large
MAX_SOURCE_PIXELS = 40_000_000  # larger images are refused before decoding (memory)
LOGO_NAME = re.compile(r"^[0-9a-f]{32}\.png$")


class InvalidImage(ValueError):
    """The upload is not an image we accept."""


def logo_folder() -> str:
    folder = os.path.join(current_app.config["UPLOAD_FOLDER"], "logos")
    os.makedirs(folder, exist_ok=True)
    return folder


def normalize_logo(data: bytes) -> bytes:
    """The upload as a PNG no larger than MAX_SIZE; raises InvalidImage for anything else."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise InvalidImage(probe.format or "unknown")
                if probe.width * probe.height > MAX_SOURCE_PIXELS:
                    raise InvalidImage("too large")
                probe.verify()
            # verify() leaves the image unusable, so decode it again from the bytes.
            with Image.open(io.BytesIO(data)) as image:
                image.seek(0)
                image.load()
                converted = image.convert("RGBA")
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        if isinstance(exc, InvalidImage):
            raise
        raise InvalidImage(str(exc)) from exc
    converted.thumbnail(MAX_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    converted.save(out, format="PNG", optimize=True)
    return out.getvalue()


def save_logo(data: bytes) -> str:
    """Store a checked, re-encoded logo and return its new random file name."""
    png = normalize_logo(data)
    name = secrets.token_hex(16) + ".png"
    with open(os.path.join(logo_folder(), name), "wb") as out:
        out.write(png)
    return name


def delete_logo(name: str) -> None:
    """Remove a stored logo (a missing file is fine)."""
    if name and LOGO_NAME.match(name):
        try:
            os.remove(os.path.join(logo_folder(), name))
        except FileNotFoundError:
            pass
