"""QR codes as inline SVG (segno), so posters print with no network."""
from __future__ import annotations

import functools

import segno
from markupsafe import Markup, escape


def code(url: str, label: str, css_class: str = "qr") -> Markup:
    """An SVG QR code for ``url``, error correction at least M; '' without a URL."""
    if not url:
        return Markup("")
    return Markup(_svg(url, label, css_class))


@functools.lru_cache(maxsize=1024)
def _svg(url: str, label: str, css_class: str) -> str:
    # The poster and each desk card encode the same URL: choosing the mask is
    # the slow part of making a code, so do it once per URL.
    return _make(url).svg_inline(omitsize=True, svgclass=css_class, dark="#000", light="#fff",
                                 title=str(escape(label))).replace("<svg ", '<svg role="img" ', 1)


@functools.lru_cache(maxsize=1024)
def _make(url: str):
    return segno.make(url, error="m", micro=False)
