"""The cellulite-filler pocket guide: a Flask app that Frozen-Flask freezes."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, g
from flask_babel import Babel
from markupsafe import Markup

from .assets import Assets, build_assets
from .config import SiteConfig, _key_line, load_config
from .content import Site, load_site
from .errors import CatalogError, ConfigError, ContentError, GuideError
from .i18n import SOURCE_LANGUAGE, Language, load_languages

__all__ = ["create_app", "GuideError", "ContentError", "CatalogError", "ConfigError"]
RESERVED_SLUGS = {"offline", "manifest.webmanifest"}


@dataclass
class Guide:
    """Everything a build reads, loaded and checked once per app."""

    config: SiteConfig
    site: Site
    languages: list[Language]
    assets: Assets

    def language(self, slug: str) -> Language | None:
        return next((lang for lang in self.languages if lang.slug == slug), None)

    @property
    def default_language(self) -> Language:
        return self.language(self.config.default_language.lower().replace("_", "-")) or self.languages[0]

    @property
    def source_language(self) -> Language:
        return next(lang for lang in self.languages if lang.is_source)

    @property
    def absolute_base(self) -> str:
        """Root-relative base for pages served at any depth (404.html)."""
        return urlsplit(self.config.site_url).path if self.config.site_url else ""


def order_languages(languages: list[Language], config: SiteConfig, config_path: Path, shown: str) -> list[Language]:
    by_code = {lang.code.lower().replace("_", "-"): lang for lang in languages}
    text = config_path.read_text("utf-8-sig") if config_path.is_file() else ""
    wanted = [config.default_language, *config.languages]
    for code in wanted:
        if code.lower().replace("_", "-") not in by_code:
            key = "default_language" if code == config.default_language else "languages"
            raise ConfigError(shown, _key_line(text, key), f"language {code!r} has no catalog",
                              "use one of: " + ", ".join(lang.code for lang in languages))
    first = [by_code[c.lower().replace("_", "-")] for c in dict.fromkeys(wanted)]
    rest = sorted((lang for lang in languages if lang not in first), key=lambda lang: lang.code)
    return first + rest


def create_app(config: dict | None = None) -> Flask:
    """Build the app from a project tree (``ROOT``, default: the working directory).

    Everything is read and checked here, so a bad content, catalog or config
    file fails before any page is rendered.
    """
    settings = {"ROOT": os.getcwd(), "SITE_URL": None, "SERVICE_WORKER": False}
    settings.update(config or {})
    root = Path(settings["ROOT"]).resolve()
    paths = {
        "CONTENT_DIR": root / "content", "TRANSLATIONS_DIR": root / "translations",
        "STATIC_DIR": root / "static", "SITE_CONFIG": root / "site.toml",
    }
    for key, default in paths.items():
        settings[key] = Path(settings.get(key) or default)
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(settings)

    site_config_path = settings["SITE_CONFIG"]
    shown = _shown(site_config_path, root)
    site_config = load_config(site_config_path, shown, settings["SITE_URL"])
    site = load_site(settings["CONTENT_DIR"], root)
    for page in site.pages:
        if page.slug in RESERVED_SLUGS:
            raise ContentError(page.path, page.slug_line, f"slug {page.slug!r} is reserved by the guide",
                               "choose another slug")
    languages = load_languages(settings["TRANSLATIONS_DIR"], root)
    languages = order_languages(languages, site_config, site_config_path, shown)
    assets = build_assets(settings["STATIC_DIR"], site_config)
    app.extensions["pocket_guide"] = Guide(site_config, site, languages, assets)

    Babel(app, locale_selector=lambda: g.language.code if g.get("language") else SOURCE_LANGUAGE,
          default_translation_directories=str(settings["TRANSLATIONS_DIR"]))
    from . import render, views

    app.jinja_env.globals.update(_=render.ui_markup, gettext=render.ui_text, ngettext=render.ui_plural,
                                 page_text=render.page_text, inline=render.inline, Markup=Markup)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.register_blueprint(views.bp)
    return app


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
