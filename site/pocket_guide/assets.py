"""Static assets with content-hashed names, so browsers may cache them forever."""
from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig
from .errors import ConfigError
from .precache import NAMES, fill

mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")

#: Files under static/ that are served as assets (the service worker
#: template is not: the build fills it and writes it at the root).
ASSET_SOURCES = ("guide.css", "app.js", "icon.svg")


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(colour: str) -> str:
    """Black or white, whichever has more contrast on ``colour``."""
    return "#ffffff" if contrast(colour, "#ffffff") >= contrast(colour, "#000000") else "#000000"


def hashed_name(name: str, data: bytes) -> str:
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}"


@dataclass
class Assets:
    """Logical name -> hashed file name and bytes."""

    names: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, name: str, data: bytes) -> str:
        hashed = hashed_name(name, data)
        self.names[name] = hashed
        self.files[hashed] = data
        return hashed


def brand_css(config: SiteConfig) -> bytes:
    return (f":root{{--brand:{config.brand_colour};--on-brand:{text_on(config.brand_colour)}}}\n"
            .encode())


def build_assets(static_dir: Path, config: SiteConfig) -> Assets:
    """Read static/, add the brand colour to the stylesheet, hash everything."""
    from .icons import render_icons  # Pillow is only needed here

    assets = Assets()
    for name in ASSET_SOURCES:
        path = static_dir / name
        if not path.is_file():
            raise ConfigError(path, 1, "asset file is missing", "restore it from the repository")
        data = path.read_bytes()
        if name == "guide.css":
            data = brand_css(config) + data
        if name == "app.js":
            data = fill(data.decode("utf-8"), {"__NAMES__": NAMES}, "static/app.js").encode("utf-8")
        assets.add(name, data)
    master = static_dir / "icon.svg"
    for name, data in render_icons(master).items():
        assets.add(name, data)
    return assets
