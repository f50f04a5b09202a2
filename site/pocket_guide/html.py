"""Where translated text meets HTML: the one place it is escaped.

Every function takes a ``Translator`` and returns ``Markup`` for element
content (an English fallback wrapped in ``lang="en"``) or plain text that
Jinja's autoescape escapes in an attribute. Catalog text is never trusted as
markup: UI strings are escaped, Markdown is rendered with raw HTML off, and
a link's target comes from the resolved original, never the translation.
"""
from __future__ import annotations

import re
from typing import Callable

from markupsafe import Markup, escape

from .catalogs import PLACEHOLDER_RE
from .content import MD, Page
from .translate import Translator

EN_SPAN = Markup('<span lang="en">{}</span>')
BDI = Markup("<bdi>{}</bdi>")
LTR_BDI = Markup('<bdi dir="ltr">{}</bdi>')
#: A run of Latin letters and digits (PLLA, CaHA, 3-6, +44 20...) inside right-to-left text.
LTR_WORD = r"[A-Za-z0-9](?:[A-Za-z0-9+\-./:]*[A-Za-z0-9])?"
LTR_RUN = re.compile(rf"\+?{LTR_WORD}(?: {LTR_WORD})*")
#: A content link's target (as written in the original) -> the URL to put in href.
LinkResolver = Callable[[str], str]


def _mark(html: Markup, fell_back: bool) -> Markup:
    return EN_SPAN.format(html) if fell_back else html


def isolate(text: str, rtl: bool) -> Markup:
    """Escape ``text``; in right-to-left text, isolate each Latin or number run as left-to-right,
    so no translation and no neighbouring character can reorder it."""
    if not rtl:
        return escape(text)
    parts, pos = [], 0
    for match in LTR_RUN.finditer(text):
        parts += [escape(text[pos:match.start()]), LTR_BDI.format(match.group())]
        pos = match.end()
    return Markup("").join([*parts, escape(text[pos:])])


def _fill(text: str, rtl: bool, variables: dict) -> Markup:
    """Escape a UI string and fill its placeholders, each value isolated in ``<bdi>``."""
    if not variables:
        return isolate(text, rtl)
    pieces, pos = [], 0
    for match in PLACEHOLDER_RE.finditer(text):  # isolate only the words around the placeholders
        spec = match.group()
        value = variables.get(spec[2:spec.index(")")]) if spec.startswith("%(") else None
        filled = value if isinstance(value, Markup) and spec.endswith("s") else escape(spec % variables)
        # A number or Latin run (a phone number) is left-to-right whatever surrounds it.
        wrapper = LTR_BDI if LTR_RUN.fullmatch(str(filled)) else BDI
        pieces += [isolate(text[pos:match.start()].replace("%%", "%"), rtl), wrapper.format(filled)]
        pos = match.end()
    return Markup("").join([*pieces, isolate(text[pos:].replace("%%", "%"), rtl)])


def ui(tr: Translator, msgid: str, **variables) -> Markup:
    """A UI string for element content; variables that are Markup stay markup."""
    text, fell_back = tr.get(msgid)
    return _mark(_fill(text, tr.language.dir == "rtl" and not fell_back, variables), fell_back)


def ui_plural(tr: Translator, singular: str, plural: str, num: int, **variables) -> Markup:
    variables.setdefault("num", num)
    text, fell_back = tr.get_plural(singular, plural, num)
    return _mark(_fill(text, tr.language.dir == "rtl" and not fell_back, variables), fell_back)


def inline_tokens(tr: Translator, msgid: str, resolve: LinkResolver | None):
    text, fell_back = tr.get(msgid)
    tokens = MD.parseInline(text)[0].children or []
    rtl = tr.language.dir == "rtl" and not fell_back
    for token in tokens:
        if token.type == "text" and rtl:
            token.type, token.content = "html_inline", str(isolate(token.content, True))
        elif token.type == "link_open":
            href = str(token.attrGet("href"))
            token.attrSet("href", resolve(href) if resolve else href)
    return tokens, fell_back


def inline(tr: Translator, msgid: str, resolve: LinkResolver | None = None) -> Markup:
    """One block's inline Markdown, rendered in the translator's language."""
    tokens, fell_back = inline_tokens(tr, msgid, resolve)
    return _mark(Markup(MD.renderer.renderInline(tokens, MD.options, {})), fell_back)


def _words(text: str) -> str:
    """Inline Markdown reduced to its words."""
    return "".join(t.content for t in MD.parseInline(text)[0].children or [] if t.type in ("text", "code_inline"))


def plain(tr: Translator, msgid: str) -> str:
    """A front matter string (title, description) as plain text, for attributes, titles and JSON."""
    return _words(tr.get(msgid)[0])


def heading(tr: Translator, msgid: str) -> Markup:
    """A front matter string as element content: plain text, marked when it fell back."""
    text, fell_back = tr.get(msgid)
    return _mark(isolate(_words(text), tr.language.dir == "rtl" and not fell_back), fell_back)


def body(tr: Translator, page: Page, resolve: LinkResolver, directive: Callable[[str], str]) -> Markup:
    """The page body in the translator's language; directives filled by ``directive``."""
    tokens = []
    for token in page.tokens:
        if token.type == "inline":
            html = inline(tr, token.meta["msgid"], resolve)
            token = token.copy(children=[token.copy(type="html_inline", content=str(html), children=None, map=None)])
        tokens.append(token)
    return Markup(MD.renderer.render(tokens, MD.options, {"directive": directive}))
