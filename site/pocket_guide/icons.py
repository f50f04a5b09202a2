"""Draw the app icons (PNG): the guide's own, or the clinic's logo.

The guide's icon is the SVG master ``static/icon.svg`` in the clinic's brand
colour. The master uses a small subset of SVG (``rect`` with ``rx``,
``circle``) so the PNGs can be drawn here, byte for byte the same on every
build, with no SVG renderer. The maskable icon is the same drawing with a
square, full-bleed background; the artwork stays inside the 40 % safe zone.

The logo's icons put the clinic's mark on white, inside that same safe zone
(a circle of 40 % of the icon's width around its centre), so no phone's mask
cuts it. An SVG logo is drawn by resvg with no system fonts (a logo with
text is refused for icons in config.py), so these too are the same on every
build and every machine.
"""
from __future__ import annotations

import functools
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageDraw

from .colours import contrast, text_on
from .errors import ConfigError
from .logo import Logo

SIZES = {"icon-192.png": (192, False), "icon-512.png": (512, False),
         "icon-maskable-512.png": (512, True), "apple-touch-icon.png": (180, True)}
SCALE = 4
NS = "{http://www.w3.org/2000/svg}"
#: The master's colour, which the brand colour replaces.
MASTER_COLOUR = "#0b6e69"
FILL_RE = re.compile(r'fill="(#[0-9a-fA-F]{6})"')
#: The radius of the maskable safe zone, and the corner radius of the guide's icon, as parts of its width.
SAFE, CORNER = 0.40, 96 / 512


def guide_svg(master: Path, brand: str) -> bytes:
    """The master in the brand colour: its background and, where they still read on the white
    page, its lines; a light brand colour gets black or white lines instead."""
    text = master.read_text("utf-8") if master.is_file() else ""
    lines = brand if contrast(brand, "#ffffff") >= 3 else text_on("#ffffff")
    fills = iter([brand])
    return FILL_RE.sub(lambda m: f'fill="{next(fills, lines)}"' if m.group(1).lower() == MASTER_COLOUR else m.group(0),
                       text).encode("utf-8")


def read_shapes(master: Path, data: bytes) -> tuple[float, list[tuple[str, dict]]]:
    try:
        root = ET.fromstring(data)
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


def render_icons(master: Path, svg: bytes) -> dict[str, bytes]:
    """Every PNG icon the manifest and pages name, drawn from ``svg`` (the master, recoloured)."""
    return _render(master, svg)


@functools.lru_cache(maxsize=4)
def _render(master: Path, data: bytes) -> dict[str, bytes]:
    view, shapes = read_shapes(master, data)
    return {name: draw(view, shapes, size, maskable) for name, (size, maskable) in SIZES.items()}


def logo_icons(logo: Logo) -> dict[str, bytes]:
    """Every PNG icon, each the logo on white inside the maskable safe zone."""
    try:
        return _logo_icons(logo.data, logo.kind, logo.width, logo.height)
    except (ValueError, OSError) as exc:  # resvg or Pillow could not draw what the checks let through
        raise ConfigError(logo.path, 1, f"logo cannot be drawn as a home-screen icon ({exc})",
                          'export it again as a plain SVG or PNG, or write icon = "guide"') from None


@functools.lru_cache(maxsize=4)
def _logo_icons(data: bytes, kind: str, width: float, height: float) -> dict[str, bytes]:
    return {name: draw_logo(data, kind, width / height, size, maskable) for name, (size, maskable) in SIZES.items()}


def logo_image(data: bytes, kind: str, width: int, height: int) -> Image.Image:
    """The logo as an RGBA image of ``width`` x ``height`` pixels."""
    if kind == "svg":
        import resvg_py  # only a clinic with an SVG logo as its icon needs it

        data = bytes(resvg_py.svg_to_bytes(svg_string=data.decode("utf-8-sig"), width=width, height=height,
                                           skip_system_fonts=True))
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGBA").resize((width, height), Image.LANCZOS)


def draw_logo(data: bytes, kind: str, aspect: float, size: int, maskable: bool) -> bytes:
    """One icon: white (full bleed when maskable, else a rounded square), the logo fitted
    inside the safe circle: the largest box of the logo's ``aspect`` whose corners touch it."""
    big = size * SCALE
    image = Image.new("RGB" if maskable else "RGBA", (big, big), "#ffffff" if maskable else (0, 0, 0, 0))
    if not maskable:
        ImageDraw.Draw(image).rounded_rectangle((0, 0, big - 1, big - 1), radius=CORNER * big, fill="#ffffff")
    diagonal = 2 * SAFE * big * 0.96  # a little inside the circle, for anti-aliased edges
    w = diagonal / (1 + 1 / aspect ** 2) ** 0.5
    h = w / aspect
    mark = logo_image(data, kind, max(1, round(w)), max(1, round(h)))
    image.paste(mark, ((big - mark.width) // 2, (big - mark.height) // 2), mark)
    image = image.resize((size, size), Image.LANCZOS)  # no palette: a logo's gradients would band
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
