"""Colour contrast (WCAG 2): the header's text colour on the clinic's colour.

The header bar is the brand colour in both colour schemes (light and dark)
with black or white text, whichever reads better. With exactly black and
white every colour reaches at least sqrt(21) = 4.58:1 with one of them, so AA
(4.5:1) always holds for them; ``nearest_readable`` still guards it, and says
which colour to use instead, should the text colours or the level change.
"""
from __future__ import annotations

import colorsys

#: WCAG 2 AA for normal-size text.
AA = 4.5
TEXT_COLOURS = ("#000000", "#ffffff")


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(colour: str) -> str:
    """The text colour (black or white) with more contrast on ``colour``."""
    return max(reversed(TEXT_COLOURS), key=lambda text: contrast(colour, text))


def best_contrast(colour: str) -> float:
    return contrast(colour, text_on(colour))


def nearest_readable(colour: str, ratio: float = AA) -> str | None:
    """None when text on ``colour`` reaches ``ratio``; else the colour of the same hue and
    saturation with the nearest HSL lightness whose text does."""
    if best_contrast(colour) >= ratio:
        return None
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    for step in range(1, 1001):
        for candidate in (lightness - step / 1000, lightness + step / 1000):
            if 0 <= candidate <= 1:
                rgb = colorsys.hls_to_rgb(hue, candidate, saturation)
                found = "#" + "".join(f"{round(c * 255):02x}" for c in rgb)
                if best_contrast(found) >= ratio:
                    return found
    return None
