"""QR codes as SVG (segno): inline on posters and cards, which print with no network; a file of
its own for a guide page's code, which the page shows only when printed or shared."""
from __future__ import annotations

import functools
import io

import segno
from markupsafe import Markup, escape


def code(url: str, label: str, css_class: str = "qr") -> Markup:
    """An inline SVG QR code for ``url``, error correction at least M; '' without a URL."""
    if not url:
        return Markup("")
    return Markup(_svg(url, label, css_class))


def document(url: str) -> bytes:
    """The code for ``url`` as an SVG file (for ``<img>``): a viewBox, no fixed size, so it scales."""
    out = io.BytesIO()
    _make(url).save(out, kind="svg", xmldecl=False, nl=True, omitsize=True, svgclass=None, lineclass=None,
                    dark="#000", light="#fff")
    return out.getvalue()


def image(src: str, url: str, css_class: str = "qr") -> Markup:
    """An ``<img>`` of the code made by ``document(url)`` at ``src``, loaded only when shown
    (printed, or opened on screen); '' without a URL. Its text is the address it leads to."""
    if not url:
        return Markup("")
    size = _make(url).symbol_size()[0]
    return Markup(f'<img src="{escape(src)}" alt="{escape(url)}" width="{size}" height="{size}" '
                  f'class="{escape(css_class)}" loading="lazy">')


@functools.lru_cache(maxsize=1024)
def _svg(url: str, label: str, css_class: str) -> str:
    # The poster and each desk card encode the same URL: choosing the mask is
    # the slow part of making a code, so do it once per URL.
    return _make(url).svg_inline(omitsize=True, svgclass=css_class, dark="#000", light="#fff",
                                 title=str(escape(label))).replace("<svg ", '<svg role="img" ', 1)


@functools.lru_cache(maxsize=1024)
def _make(url: str):
    return segno.make(url, error="m", micro=False)
