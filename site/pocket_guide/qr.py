"""QR codes as inline SVG (segno), so posters print with no network."""
from __future__ import annotations

import functools

import segno
from markupsafe import Markup, escape


def code(url: str, label: str, css_class: str = "qr", ref: str = "") -> Markup:
    """An SVG QR code for ``url``, error correction at least M; '' without a URL.

    With ``ref``, its drawing carries that id, so ``copy`` can show the same code again.
    """
    if not url:
        return Markup("")
    return Markup(_svg(url, label, css_class, ref))


def copy(url: str, label: str, ref: str, css_class: str = "qr") -> Markup:
    """The code drawn by ``code(url, ..., ref=ref)`` on the same page, shown again by reference
    (an SVG ``<use>``: a few bytes instead of a second drawing); '' without a URL."""
    if not url:
        return Markup("")
    size = _make(url).symbol_size()[0]
    return Markup(f'<svg role="img" viewBox="0 0 {size} {size}" class="{escape(css_class)}">'
                  f'<title>{escape(label)}</title><use href="#{escape(ref)}"/></svg>')


@functools.lru_cache(maxsize=1024)
def _svg(url: str, label: str, css_class: str, ref: str = "") -> str:
    # The poster and each desk card encode the same URL: choosing the mask is
    # the slow part of making a code, so do it once per URL.
    svg = _make(url).svg_inline(omitsize=True, svgclass=css_class, dark="#000", light="#fff",
                                title=str(escape(label))).replace("<svg ", '<svg role="img" ', 1)
    if ref:
        head, title, drawing = svg.partition("</title>")
        svg = f'{head}{title}<g id="{escape(ref)}">{drawing[:-len("</svg>")]}</g></svg>'
    return svg


@functools.lru_cache(maxsize=1024)
def _make(url: str):
    return segno.make(url, error="m", micro=False)
