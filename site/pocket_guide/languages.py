"""Languages: which there are, their names, direction, order and URL slug.

A language exists when ``translations/<code>/LC_MESSAGES/messages.po``
exists: no code or config names the languages. English is the source
language and has no catalog.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog

from .errors import CatalogError, ConfigError
from .reviews import Change, Review, changes

SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    code: str          # gettext folder name: "zh_Hans"
    tag: str           # BCP 47, for lang="" and hreflang: "zh-Hans"
    slug: str          # URL segment: "zh-hans"
    name: str          # its own name in its own script: "Español"
    name_in_text: str  # the same as written mid-sentence: "español"
    english_name: str
    dir: str           # "ltr" or "rtl"
    translator: str = ""
    revised: dt.date | None = None
    review: Review = field(default_factory=Review)
    #: Translated strings that are not the text a fingerprinted review read.
    changed: tuple[Change, ...] = ()

    @property
    def is_source(self) -> bool:
        return self.code == SOURCE_LANGUAGE

    @property
    def review_state(self) -> str:
        """``current`` (a review covers what patients read), ``changed`` (strings in ``changed``
        differ from what a review read) or ``none``.

        A record without a fingerprint counts only while the catalog's
        PO-Revision-Date is not after it; a fingerprint says exactly what changed.
        """
        r = self.review
        if self.is_source:
            return "current"
        if not (r.reviewed_by and r.reviewed_on):
            return "none"
        if r.fingerprint:
            return "changed" if self.changed else "current"
        return "current" if self.revised is None or r.reviewed_on >= self.revised else "none"

    @property
    def reviewed(self) -> bool:
        """True when a medical review covers every translated string as it is now."""
        return self.review_state == "current"


def normal(code: str) -> str:
    """The one spelling two names of a language share: ``zh_hans``, ``zh-Hans`` -> ``zh-hans``."""
    return code.lower().replace("_", "-")


def make_language(code: str, catalog: Catalog | None = None, review: Review | None = None) -> Language:
    locale = Locale.parse(code)
    raw = locale.get_display_name(locale) or code
    name = raw[:1].upper() + raw[1:]
    translator = revised = None
    review = review or Review()
    if catalog is not None:
        translator = (catalog.last_translator or "").strip()
        if "FULL NAME" in translator:
            translator = ""
        revised = catalog.revision_date.date() if isinstance(catalog.revision_date, dt.datetime) else None
    tag = str(locale).replace("_", "-")
    return Language(code=code, tag=tag, slug=tag.lower(), name=name, name_in_text=raw,
                    english_name=locale.get_display_name("en") or code,
                    dir=locale.text_direction, translator=translator or "",
                    revised=revised, review=review, changed=changes(review, catalog) if catalog is not None else ())


def canonical(code: str) -> str:
    """The language a folder name means, in ``normal`` spelling (the name itself if Babel does not know it)."""
    try:
        return normal(str(Locale.parse(code)))
    except (UnknownLocaleError, ValueError):
        return normal(code)


def check_distinct(paths: dict[str, Path], shown: dict[str, str]) -> None:
    """Two catalog folders may not name one language (``zh_hans`` and ``zh_Hans``, or ``en``)."""
    seen = {normal(SOURCE_LANGUAGE): None}
    for code in paths:
        key = canonical(code)
        if key in seen:
            other = seen[key]
            where = (f"the same language as {shown[other]}" if other
                     else "English, the language the guide is written in")
            raise CatalogError(shown[code], 1, f"this catalog is for {where}",
                               "keep one catalog per language and delete or merge the other")
        seen[key] = code


def order_languages(languages: list[Language], default: str, wanted: tuple[str, ...],
                    config_path: str, lines: dict[str, int]) -> list[Language]:
    """The languages a clinic publishes, in its order.

    With ``wanted`` (site.toml ``languages``): the default language, then those, in that order,
    and English (the original every page links to) if not listed. Without: every language with a
    catalog, the default first, then by code.
    """
    by_code = {normal(lang.code): lang for lang in languages}
    for key, codes in (("default_language", (default,)), ("languages", wanted)):
        for code in codes:
            if normal(code) not in by_code:
                raise ConfigError(config_path, lines.get(key, 1), f"language {code!r} has no catalog",
                                  "use one of: " + ", ".join(lang.code for lang in languages))
    first = [by_code[normal(c)] for c in dict.fromkeys((default, *wanted))]
    if wanted:
        return first + [lang for lang in languages if lang.is_source and lang not in first]
    rest = sorted((lang for lang in languages if lang not in first), key=lambda lang: lang.code)
    return first + rest


def moved_addresses(languages: list[Language]) -> dict[str, Language]:
    """Old addresses that still lead somewhere: a language's base code (``pt``) for its only
    regional or script variant (``pt-br``), so a folder renamed from ``pt`` to ``pt_BR`` keeps
    every printed ``/pt/...`` address working. Not when two variants share the base."""
    variants: dict[str, list[Language]] = {}
    for lang in languages:
        base = lang.slug.split("-")[0]
        if base != lang.slug:
            variants.setdefault(base, []).append(lang)
    slugs = {lang.slug for lang in languages}
    return {base: group[0] for base, group in sorted(variants.items()) if len(group) == 1 and base not in slugs}
