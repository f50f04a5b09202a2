"""The cellulite-filler pocket guide: a Flask app that Frozen-Flask freezes.

Where each job lives (one home each):

- a page's URL is decided in ``urls.py``; links are made relative there too;
- a content link is resolved once, when content is parsed (``content.resolve_link``);
- a translation is looked up in ``translate.py`` (plain text and a fallback flag)
  and escaped in ``html.py``, the one place text meets HTML;
- a catalog is read and checked in ``catalogs.py`` (``check_catalog``), once,
  for ``check`` and the build alike (``load_guide`` below);
- languages (discovery, names, direction, order, review state) are in ``languages.py``,
  the Babel extractor in ``extract.py``;
- a medical review record and its fingerprint (what exactly was reviewed, what
  changed since) are in ``reviews.py``, pure functions; the printable sheet a
  reviewer signs is ``review_sheet.py`` (never part of the site); approved terms
  (``glossary.csv``) are read in ``glossary.py`` and checked by ``check_catalog``;
- a file a person edits is read in ``files.py`` (UTF-8, inside the project,
  no invisible controls; TOML with the line of each key);
- ``site.toml`` is validated in ``config.py``, from one table of keys that also writes
  ``docs/config.md``; opening hours are written per language in ``hours.py``, the logo is
  checked in ``logo.py`` and colour contrast is ``colours.py``;
- the build's output folder is guarded in ``output.py``; freezing is ``build.py``;
- the service worker's precache list and shared names are ``precache.py``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from flask_babel import Babel

from .assets import Assets, build_assets
from .catalogs import CatalogReport, catalog_paths, check_catalog, template_messages
from .config import SiteConfig, load_config
from .content import Site, load_site
from .errors import CatalogError, ConfigError, ContentError, GuideError
from .files import display_path
from .languages import (SOURCE_LANGUAGE, Language, check_distinct, make_language, moved_addresses, normal,
                        order_languages)
from .reviews import load_review
from .translate import Translator
from .urls import RESERVED_SLUGS

__all__ = ["create_app", "load_guide", "Guide", "GuideError", "ContentError", "CatalogError", "ConfigError"]


@dataclass
class Guide:
    """Everything a build reads, loaded and checked once per app."""

    config: SiteConfig
    site: Site
    languages: list[Language]
    assets: Assets
    translators: dict[str, Translator] = field(default_factory=dict)
    #: Old language addresses (``pt``) that lead to a published language (``pt-br``).
    moved: dict[str, Language] = field(default_factory=dict)

    def language(self, slug: str) -> Language | None:
        return next((lang for lang in self.languages if lang.slug == slug), None)

    @property
    def default_language(self) -> Language:
        return self.language(normal(self.config.default_language)) or self.languages[0]

    @property
    def source_language(self) -> Language:
        return next(lang for lang in self.languages if lang.is_source)

    def translator(self, language: Language) -> Translator:
        """A translator for one page in ``language`` (it counts that page's fallbacks)."""
        return self.translators[language.code].for_page()


def paths(settings: dict) -> dict:
    root = Path(settings.get("ROOT") or os.getcwd()).resolve()
    defaults = {"CONTENT_DIR": root / "content", "TRANSLATIONS_DIR": root / "translations",
                "STATIC_DIR": root / "static", "SITE_CONFIG": root / "site.toml"}
    return {"ROOT": root, **{key: Path(settings.get(key) or value) for key, value in defaults.items()}}


def load_guide(settings: dict) -> tuple[Guide, list[CatalogReport]]:
    """Read and check every input: what the build uses and what ``check`` reports.

    Config, content and review mistakes raise; each catalog's problems are in
    its report, so ``check`` can list them all and the build refuse the first.
    """
    where = paths(settings)
    root = where["ROOT"]
    config = load_config(where["SITE_CONFIG"], root, settings.get("SITE_URL"))
    site = load_site(where["CONTENT_DIR"], root)
    for page in site.pages:
        if page.slug in RESERVED_SLUGS:
            raise ContentError(page.path, page.slug_line, f"slug {page.slug!r} is reserved by the guide",
                               "choose another slug")
    found = catalog_paths(where["TRANSLATIONS_DIR"])
    check_distinct(found, {code: display_path(path, root) for code, path in found.items()})
    required = template_messages(where["TRANSLATIONS_DIR"] / "messages.pot")
    reports = [check_catalog(path, code, root, required) for code, path in found.items()]
    source = make_language(SOURCE_LANGUAGE)
    languages, translators = [source], {SOURCE_LANGUAGE: Translator(source)}
    for report in reports:
        if report.catalog is None or report.errors:
            continue
        review = load_review(found[report.code].parent.parent, root)
        language = make_language(report.code, report.catalog, review)
        languages.append(language)
        translators[language.code] = Translator(language, report.messages, report.plural)
    languages = order_languages(languages, config.default_language, config.languages, config.source, config.lines)
    guide = Guide(config, site, languages, build_assets(where["STATIC_DIR"], config), translators,
                  moved_addresses(languages))
    return guide, reports


def create_app(config: dict | None = None) -> Flask:
    """Build the app from a project tree (``ROOT``, default: the working directory).

    Everything is read and checked here, so a bad content, catalog or config
    file fails before any page is rendered.
    """
    settings = {"ROOT": os.getcwd(), "SITE_URL": None, "SERVICE_WORKER": False, **(config or {})}
    guide, reports = load_guide(settings)
    for report in reports:
        if report.errors:
            raise report.errors[0]
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping({**settings, **paths(settings)})
    app.extensions["pocket_guide"] = guide
    # Flask-Babel formats dates and numbers in the page's locale; translations come from translate.py.
    Babel(app, default_translation_directories=str(Path(__file__).parent / "no-mo-files"))
    from . import views

    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.register_blueprint(views.bp)
    return app
