"""Draw the app icons (PNG) from the SVG master ``static/icon.svg``.

The master uses a small subset of SVG (``rect`` with ``rx``, ``circle``)
so the PNGs can be drawn here, byte for byte the same on every build, with
no SVG renderer installed. The maskable icon is the same drawing with a
square, full-bleed background; the artwork stays inside the 40 % safe zone.
"""
from __future__ import annotations

import functools
import io
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageDraw

from .errors import ConfigError

SIZES = {"icon-192.png": (192, False), "icon-512.png": (512, False),
         "icon-maskable-512.png": (512, True), "apple-touch-icon.png": (180, True)}
SCALE = 4
NS = "{http://www.w3.org/2000/svg}"


def read_shapes(master: Path) -> tuple[float, list[tuple[str, dict]]]:
    try:
        root = ET.parse(master).getroot()
    except (ET.ParseError, OSError) as exc:
        raise ConfigError(master, getattr(exc, "position", (1,))[0], f"icon master is not readable SVG: {exc}",
                          "restore static/icon.svg from the repository") from None
    view = float(root.get("viewBox", "0 0 512 512").split()[2])
    shapes = []
    for element in root:
        tag = element.tag.replace(NS, "")
        if tag not in ("rect", "circle"):
            raise ConfigError(master, 1, f"icon master uses <{tag}>, which the icon drawer cannot draw",
                              "draw the icon with <rect> and <circle> only")
        shapes.append((tag, element.attrib))
    return view, shapes


def draw(view: float, shapes: list, size: int, maskable: bool) -> bytes:
    big = size * SCALE
    k = big / view
    image = Image.new("RGB" if maskable else "RGBA", (big, big), "#ffffff" if maskable else (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    for index, (tag, a) in enumerate(shapes):
        if tag == "rect":
            x, y, w, h = (float(a[n]) * k for n in ("x", "y", "width", "height"))
            radius = 0 if (maskable and index == 0) else float(a.get("rx", 0)) * k
            pen.rounded_rectangle((x, y, x + w - 1, y + h - 1), radius=radius, fill=a["fill"])
        else:
            cx, cy, r = (float(a[n]) * k for n in ("cx", "cy", "r"))
            pen.ellipse((cx - r, cy - r, cx + r - 1, cy + r - 1), fill=a["fill"])
    image = image.resize((size, size), Image.LANCZOS)
    # Four flat colours plus their anti-aliased edges: a 64-colour palette
    # keeps the look and makes the files several times smaller.
    image = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def render_icons(master: Path) -> dict[str, bytes]:
    """Every PNG icon the manifest and pages name, drawn from ``master``."""
    return _render(master, master.read_bytes() if master.is_file() else b"")


@functools.lru_cache(maxsize=4)
def _render(master: Path, data: bytes) -> dict[str, bytes]:
    view, shapes = read_shapes(master)
    return {name: draw(view, shapes, size, maskable) for name, (size, maskable) in SIZES.items()}
