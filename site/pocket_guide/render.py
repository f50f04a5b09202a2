"""Turn content and UI strings into HTML for the current language.

Translations are looked up per block; a string with no (or only a fuzzy)
translation shows the English original wrapped in ``lang="en"`` and is
counted, so the page can say that part of it is not yet translated.
Catalog text never reaches the page as markup: UI strings are escaped and
content is rendered by CommonMark with raw HTML off.
"""
from __future__ import annotations

import posixpath
from typing import Callable

from flask import current_app, g, request
from flask_babel import get_translations
from markupsafe import Markup, escape

from .content import MD, Page

EN_SPAN = Markup('<span lang="en">{}</span>')


def guide():
    """The app's loaded guide (config, pages, languages, assets)."""
    return current_app.extensions["pocket_guide"]


def lookup(msgid: str) -> str | None:
    """The translation of ``msgid`` in the current language, or None."""
    language = g.get("language")
    if language is None or language.is_source:
        return msgid
    catalog = getattr(get_translations(), "_catalog", {})
    found = catalog.get(msgid)
    if not found:
        g.fallbacks = g.get("fallbacks", 0) + 1
        return None
    return found


def _format(text: Markup, variables: dict) -> Markup:
    if not variables:
        return text
    try:
        return text % variables
    except (KeyError, ValueError, TypeError):
        return None  # caller falls back to the original


def _translated(msgid: str, variables: dict) -> tuple[Markup, bool]:
    """The escaped, formatted UI string, and whether it fell back to English."""
    found = lookup(msgid)
    out = _format(escape(found), variables) if found is not None else None
    if out is not None:
        return out, False
    if found is not None:  # a translation whose placeholders do not fit: show the original
        g.fallbacks = g.get("fallbacks", 0) + 1
    language = g.get("language")
    return _format(escape(msgid), variables), bool(language and not language.is_source)


def ui_text(msgid: str, **variables) -> Markup:
    """A UI string for attributes and titles: escaped, never wrapped."""
    return _translated(msgid, variables)[0]


def ui_markup(msgid: str, **variables) -> Markup:
    """A UI string for element content: English fallback marked lang="en"."""
    text, fell_back = _translated(msgid, variables)
    return EN_SPAN.format(text) if fell_back else text


def ui_plural(singular: str, plural: str, num: int, **variables) -> Markup:
    variables.setdefault("num", num)
    language = g.get("language")
    if language is not None and not language.is_source:
        translations = get_translations()
        if (singular, 0) in getattr(translations, "_catalog", {}):
            out = _format(escape(translations.ngettext(singular, plural, num)), variables)
            if out is not None:
                return out
        g.fallbacks = g.get("fallbacks", 0) + 1
        return EN_SPAN.format(_format(escape(singular if num == 1 else plural), variables))
    return _format(escape(singular if num == 1 else plural), variables)


def inline(msgid: str, plain: bool = False, marked: bool = True) -> Markup:
    """Render one block's inline Markdown in the current language."""
    found = lookup(msgid)
    tokens = MD.parseInline(found if found is not None else msgid)[0].children or []
    for token in tokens:
        if token.type == "link_open":
            token.attrSet("href", page_link(str(token.attrGet("href"))))
    if plain:
        html = escape("".join(t.content for t in tokens if t.type in ("text", "code_inline")))
    else:
        html = Markup(MD.renderer.renderInline(tokens, MD.options, {}))
    return EN_SPAN.format(html) if found is None and marked else html


def page_text(msgid: str, marked: bool = True) -> Markup:
    """A front matter string (title, menu) as plain text; unmarked for attributes."""
    return inline(msgid, plain=True, marked=marked)


def render_body(page: Page, directive: Callable[[str], str]) -> Markup:
    """The page body in the current language; directives filled by ``directive``."""
    tokens = []
    for token in page.tokens:
        if token.type == "inline":
            html = inline(token.meta["msgid"])
            token = token.copy(children=[token.copy(type="html_inline", content=str(html),
                                                    children=None, map=None)])
        tokens.append(token)
    return Markup(MD.renderer.render(tokens, MD.options, {"directive": directive}))


# --- URLs ---------------------------------------------------------------------

def relative(target: str, current: str | None = None) -> str:
    """``target`` (a site path like /en/about/) relative to the page being built."""
    current = current if current is not None else request.path
    base = guide().absolute_base if g.get("absolute") else None
    if base:
        return base + target.lstrip("/")
    folder = current if current.endswith("/") else posixpath.dirname(current) + "/"
    path = posixpath.relpath(target, folder)
    if target.endswith("/"):
        path = "./" if path == "." else path + "/"
    return path


def absolute(target: str) -> str:
    """``target`` as a full URL under the public site URL ('' without one)."""
    base = guide().config.site_url
    return base + target.lstrip("/") if base else ""


def page_path(language, slug: str) -> str:
    return f"/{language.slug}/" if slug == "index" else f"/{language.slug}/{slug}/"


def page_link(href: str) -> str:
    """Rewrite a content link (``questions.md#x``) to the built page's URL."""
    if "://" in href or href.startswith(("mailto:", "tel:", "#")):
        return href
    target, _, anchor = href.partition("#")
    slug = next((p.slug for p in guide().site.pages if p.path.endswith("/" + target) or p.path == target),
                None)
    if slug is None:
        return href
    url = relative(page_path(g.language, slug))
    return url + ("#" + anchor if anchor else "")
