"""Where translated text meets HTML: the one place it is escaped.

Every function takes a ``Translator`` and returns ``Markup`` for element
content (an English fallback wrapped in ``lang="en"``) or plain text that
Jinja's autoescape escapes in an attribute. Catalog text is never trusted as
markup: UI strings are escaped, Markdown is rendered with raw HTML off, and
a link's target comes from the resolved original, never the translation.
"""
from __future__ import annotations

from typing import Callable

from markupsafe import Markup, escape

from .content import MD, Page
from .translate import Translator

EN_SPAN = Markup('<span lang="en">{}</span>')
#: A content link's target (as written in the original) -> the URL to put in href.
LinkResolver = Callable[[str], str]


def _mark(html: Markup, fell_back: bool) -> Markup:
    return EN_SPAN.format(html) if fell_back else html


def ui(tr: Translator, msgid: str, **variables) -> Markup:
    """A UI string for element content; variables that are Markup stay markup."""
    text, fell_back = tr.get(msgid)
    html = escape(text) % variables if variables else escape(text)
    return _mark(html, fell_back)


def ui_plural(tr: Translator, singular: str, plural: str, num: int, **variables) -> Markup:
    variables.setdefault("num", num)
    text, fell_back = tr.get_plural(singular, plural, num)
    return _mark(escape(text) % variables, fell_back)


def inline_tokens(tr: Translator, msgid: str, resolve: LinkResolver | None):
    text, fell_back = tr.get(msgid)
    tokens = MD.parseInline(text)[0].children or []
    for token in tokens:
        if token.type == "link_open":
            href = str(token.attrGet("href"))
            token.attrSet("href", resolve(href) if resolve else href)
    return tokens, fell_back


def inline(tr: Translator, msgid: str, resolve: LinkResolver | None = None) -> Markup:
    """One block's inline Markdown, rendered in the translator's language."""
    tokens, fell_back = inline_tokens(tr, msgid, resolve)
    return _mark(Markup(MD.renderer.renderInline(tokens, MD.options, {})), fell_back)


def plain(tr: Translator, msgid: str) -> str:
    """A front matter string (title, description) as plain text, for attributes, titles and JSON."""
    tokens, _ = inline_tokens(tr, msgid, None)
    return "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


def heading(tr: Translator, msgid: str) -> Markup:
    """A front matter string as element content: plain text, marked when it fell back."""
    tokens, fell_back = inline_tokens(tr, msgid, None)
    return _mark(escape("".join(t.content for t in tokens if t.type in ("text", "code_inline"))), fell_back)


def body(tr: Translator, page: Page, resolve: LinkResolver, directive: Callable[[str], str]) -> Markup:
    """The page body in the translator's language; directives filled by ``directive``."""
    tokens = []
    for token in page.tokens:
        if token.type == "inline":
            html = inline(tr, token.meta["msgid"], resolve)
            token = token.copy(children=[token.copy(type="html_inline", content=str(html), children=None, map=None)])
        tokens.append(token)
    return Markup(MD.renderer.render(tokens, MD.options, {"directive": directive}))
