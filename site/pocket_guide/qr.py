"""QR codes as inline SVG (segno), so posters print with no network."""
from __future__ import annotations

import segno
from markupsafe import Markup, escape


def code(url: str, label: str, css_class: str = "qr") -> Markup:
    """An SVG QR code for ``url``, error correction at least M; '' without a URL."""
    if not url:
        return Markup("")
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(omitsize=True, svgclass=css_class, dark="#000", light="#fff",
                        title=str(escape(label)))
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))
