"""Static assets with content-hashed names, so browsers may cache them forever."""
from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from .colours import text_on
from .config import SiteConfig
from . import minify
from .errors import ConfigError
from .precache import NAMES, fill

mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")

#: Files under static/ that are served as assets (the service worker
#: template is not: the build fills it and writes it at the root). app.js loads the print
#: stylesheet, tools.js, read aloud and "my questions" (listen.*, notes.*) after the page;
#: kit.css styles the poster and the desk card only.
ASSET_SOURCES = ("guide.css", "print.css", "kit.css", "app.js", "tools.js", "chooser.js", "icon.svg",
                 "listen.js", "listen.css", "notes.js", "notes.css")
#: Scripts whose one ``__NAMES__`` placeholder the build fills with precache.NAMES.
NAMED_SCRIPTS = ("tools.js", "chooser.js", "notes.js")


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


def minified(path: Path, name: str, data: bytes) -> bytes:
    """The stylesheet or script without comments and indentation (see minify.py)."""
    try:
        text = data.decode("utf-8")
        return (minify.css(text) if name.endswith(".css") else minify.js(text)).encode("utf-8")
    except (UnicodeDecodeError, ValueError) as error:
        raise ConfigError(path, 1, f"{name} cannot be read: {error}", "restore it from the repository") from None


def build_assets(static_dir: Path, config: SiteConfig) -> Assets:
    """Read static/, add the brand colour to the stylesheet and the icon, add the logo and the
    icons (the guide's or the logo's), hash everything."""
    from .icons import guide_svg, logo_icons, render_icons  # Pillow is only needed here

    assets = Assets()
    guide_icon = guide_svg(static_dir / "icon.svg", config.brand_colour)
    for name in ASSET_SOURCES:
        path = static_dir / name
        if not path.is_file():
            raise ConfigError(path, 1, "asset file is missing", "restore it from the repository")
        data = path.read_bytes()
        if name.endswith((".css", ".js")):
            data = minified(path, name, data)
        if name == "guide.css":
            data = brand_css(config) + data
        if name in NAMED_SCRIPTS:
            data = fill(data.decode("utf-8"), {"__NAMES__": NAMES}, f"static/{name}").encode("utf-8")
        if name == "icon.svg":
            data = guide_icon
        assets.add(name, data)
    if config.logo is not None:
        assets.add(config.logo.asset_name, config.logo.data)
    if config.icon == "logo" and config.logo is not None:
        icons = logo_icons(config.logo)
    else:
        icons = render_icons(static_dir / "icon.svg", guide_icon)
    for name, data in icons.items():
        assets.add(name, data)
    return assets
