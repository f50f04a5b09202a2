"""The clinic's logo: read and checked once, then only ever used as an image.

A logo is a PNG or an SVG, told apart by its content, not its name. It is
served as a hashed static file and shown with ``<img src>``, never inlined,
so a browser draws it with scripts and outside loads off. A visitor may still
open the file itself, so an SVG is refused if it carries anything but a
picture: a script, an event handler, HTML (``foreignObject``), a reference to
another file or address, or an entity declaration (which can hide any of these).
"""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .errors import ConfigError
from .files import check_inside, decode, display_path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 200 * 1024
MIN_SIDE, MAX_SIDE = 64, 2000
SVG_ROOT = "{http://www.w3.org/2000/svg}svg"
EXPORT_AGAIN = "export the logo again as a plain SVG (or PNG): a logo is a picture only"
#: A raster picture embedded in the SVG is not a reference to another file.
EMBEDDED = r"(?!#|data:image/(?:png|jpeg|gif|webp);)"
#: (pattern, what it is): anything that is not a picture. Case-insensitive, prefixes (svg:script) too.
UNSAFE = (
    (r"<!ENTITY|<!DOCTYPE[^>\[]*\[", "an entity declaration (<!ENTITY)"),
    (r"<\s*(?:[\w.-]+:)?script\b", "a script (<script>)"),
    (r"[\s\"'/](on[a-z]+)\s*=", "an event handler attribute ({0}=)"),
    (r"<\s*(?:[\w.-]+:)?foreignObject\b", "HTML inside the picture (<foreignObject>)"),
    (r"\bhref\s*=\s*[\"']\s*" + EMBEDDED, "a reference to another file or address (href)"),
    (r"\burl\(\s*[\"']?\s*" + EMBEDDED, "a reference to another file or address (url(...))"),
    (r"@import\b", "a reference to another file or address (@import)"),
    (r"attributeName\s*=\s*[\"']\s*(?:xlink:)?href", "an animated link (attributeName=\"href\")"),
)
TEXT_RE = re.compile(r"<\s*(?:[\w.-]+:)?text\b", re.I)


@dataclass(frozen=True)
class Logo:
    """A checked logo: its bytes, ``png`` or ``svg``, and its size (pixels, or the SVG's viewBox)."""

    path: str
    data: bytes
    kind: str
    width: float
    height: float
    #: The line of an SVG's first <text>: fonts differ from machine to machine, so icons cannot use it.
    text_line: int | None = None

    @property
    def asset_name(self) -> str:
        return f"logo.{self.kind}"

    @property
    def box(self) -> tuple[int, int]:
        """Whole-pixel width and height with the logo's proportions, for ``<img width height>``."""
        scale = max(1.0, 16 / min(self.width, self.height))
        return round(self.width * scale), round(self.height * scale)


def read_logo(value: str, base: Path, root: Path | None, shown: str, line: int) -> Logo:
    """The logo named by ``logo = value`` in ``shown`` (at ``line``), checked as the module says."""
    example = 'write its path like logo = "clinic-logo.svg"'
    path = base / value
    if not value or Path(value).is_absolute() or ".." in Path(value).parts:
        raise ConfigError(shown, line, f"logo must be a file inside the project folder: {value!r}",
                          f"copy it into the project and {example}")
    if not path.is_file():
        raise ConfigError(shown, line, f"logo file not found: {value!r}", f"put the file in the project and {example}")
    check_inside(path, root, ConfigError)
    data = path.read_bytes()
    where = display_path(path, root)
    if len(data) > MAX_BYTES:
        raise ConfigError(shown, line, f"logo is {len(data) // 1024} KB, more than {MAX_BYTES // 1024} KB: {value!r}",
                          "save it smaller (an SVG, or a PNG of at most 2000 pixels a side)")
    if data.startswith(PNG_SIGNATURE):
        return _png(data, where, value, shown, line)
    return _svg(data, where, value, shown, line)


def _png(data: bytes, where: str, value: str, shown: str, line: int) -> Logo:
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if max(width, height) <= MAX_SIDE:
                image.convert("RGBA")  # loads every pixel, as the icons will
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ConfigError(shown, line, f"logo is a damaged PNG file: {value!r}", "save it again as PNG") from None
    if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE:
        limit = f"less than {MIN_SIDE}" if min(width, height) < MIN_SIDE else f"more than {MAX_SIDE}"
        raise ConfigError(shown, line, f"logo is {width} x {height} pixels, {limit} a side: {value!r}",
                          f"save it at {MIN_SIDE} to {MAX_SIDE} pixels a side (or as SVG)")
    return Logo(where, data, "png", width, height)


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _svg(data: bytes, where: str, value: str, shown: str, line: int) -> Logo:
    not_image = ConfigError(shown, line, f"logo is not a PNG or SVG image: {value!r}", "save it as PNG or SVG")
    if b"<svg" not in data and b":svg" not in data:
        raise not_image
    text = decode(data, where, ConfigError, "save it as UTF-8")
    for pattern, what in UNSAFE:
        match = re.search(pattern, text, re.I)
        if match:
            raise ConfigError(where, _line(text, match.start()), "logo has " + what.format(*match.groups()),
                              EXPORT_AGAIN)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ConfigError(where, exc.position[0], f"logo is not readable SVG: {exc}", EXPORT_AGAIN) from None
    if root.tag != SVG_ROOT:
        raise not_image
    size = _svg_size(root)
    if size is None:
        raise ConfigError(where, 1, "logo has no size (viewBox, or width and height)",
                          'add a viewBox to the <svg> element, like viewBox="0 0 400 120"')
    found = TEXT_RE.search(text)
    return Logo(where, data, "svg", *size, text_line=_line(text, found.start()) if found else None)


def _number(value: str | None) -> float | None:
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*", value or "")
    return float(match.group(1)) if match else None


def _svg_size(root: ET.Element) -> tuple[float, float] | None:
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            width, height = float(box[2]), float(box[3])
        except ValueError:
            width = height = 0
        if width > 0 and height > 0:
            return width, height
    width, height = _number(root.get("width")), _number(root.get("height"))
    return (width, height) if width and height else None
