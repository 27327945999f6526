"""A scenario's colour made readable on the chart background, keeping its hue.

The scenario colours are Okabe-Ito (colour-blind safe); a few of them (the
orange, the yellow, the sky blue) are too light for a thin line on white
(WCAG asks 3:1 for graphics). `readable` darkens (light theme) or lightens
(dark theme) the colour in small steps of HSL lightness until it reaches the
ratio, so "Brand push" stays orange everywhere, just deep enough to read.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

MIN_CONTRAST = 3.0  # WCAG 2.1 non-text contrast (lines, chart marks)


def luminance(colour: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(colour: str | QColor, background: QColor, minimum: float = MIN_CONTRAST) -> QColor:
    """`colour` with its lightness moved away from the background's until the contrast is `minimum`."""
    out = QColor(colour)
    darken = luminance(background) > 0.18
    h, s, lightness, a = out.hslHueF(), out.hslSaturationF(), out.lightnessF(), out.alphaF()
    h = max(h, 0.0)  # grey has hue -1
    for _ in range(40):
        if contrast(out, background) >= minimum:
            break
        lightness = max(0.0, lightness - 0.025) if darken else min(1.0, lightness + 0.025)
        out = QColor.fromHslF(h, s, lightness, a)
    return out


__all__ = ["MIN_CONTRAST", "contrast", "luminance", "readable"]
