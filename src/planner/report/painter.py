"""Draw a `ChartSpec` or a KPI table with QPainter: on a PDF page, or into a PNG.

This module imports Qt; only `planner.report.pdf` and callers that want a
PNG import it, so the xlsx export and the rest of the core stay Qt-free.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from planner.report.charts import ChartSpec
from planner.report.labels import Kind

_app: QGuiApplication | None = None
GRID = QColor("#D9D9D9")
INK = QColor("#202124")
MUTED = QColor("#5F6368")


def ensure_gui() -> None:
    """Painting text needs a QGuiApplication; make one (offscreen on a Linux box without a display)."""
    global _app
    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication([sys.argv[0] if sys.argv else "planner"])


Scale = Callable[[float], float]
"""Data value (or month index) -> pixel coordinate."""


def font(size: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 times a power of ten apart)."""
    if not high > low:
        high = low + 1.0
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value <= high + step * 1e-9:
        ticks.append(value)
        value += step
    if ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def axis_text(value: float, kind: Kind) -> str:
    """Short tick labels: 1.2M, 350k, 40%."""
    if kind == "percent":
        return f"{value:.0%}"
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:.1f}M".replace(".0M", "M")
    if magnitude >= 1e3:
        return f"{value / 1e3:.0f}k"
    return f"{value:g}"


def paint_chart(painter: QPainter, rect: QRectF, spec: ChartSpec) -> None:
    """The chart inside `rect`: title, y grid with labels, month labels, series, legend."""
    dpi = painter.device().logicalDpiY() if painter.device() else 96
    px = dpi / 72.0  # one point in device pixels
    painter.save()
    painter.setFont(font(10, bold=True))
    painter.setPen(INK)
    title_h = painter.fontMetrics().height() * 1.4
    painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), title_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, spec.title)
    painter.setFont(font(7))
    fm = painter.fontMetrics()
    legend_h = fm.height() * 1.6
    values = [v for s in spec.series for seq in (s.values, s.low, s.high) for v in seq if v is not None]
    low = min([0.0, *values])
    high = max([0.0, *values]) if values else 1.0
    if spec.style == "stacked":
        sums = [sum(v or 0.0 for v in col) for col in zip(*(s.values for s in spec.series), strict=False)]
        high = max([high, *sums])
    ticks = nice_ticks(low, high)
    unit = f" {spec.unit}" if spec.unit and spec.kind == "money" else ""
    left_w = max(fm.horizontalAdvance(axis_text(t, spec.kind) + unit) for t in ticks) + 6 * px
    plot = QRectF(rect.left() + left_w, rect.top() + title_h + fm.height() * 0.6, rect.width() - left_w - 4 * px,
                  rect.height() - title_h - fm.height() * 2.1 - legend_h)
    y0, y1 = ticks[0], ticks[-1]

    def y_of(v: float) -> float:
        return plot.bottom() - (v - y0) / (y1 - y0) * plot.height()

    for t in ticks:
        painter.setPen(QPen(GRID, 0.5 * px))
        painter.drawLine(QPointF(plot.left(), y_of(t)), QPointF(plot.right(), y_of(t)))
        painter.setPen(MUTED)
        painter.drawText(QRectF(rect.left(), y_of(t) - fm.height() / 2, left_w - 4 * px, fm.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, axis_text(t, spec.kind) + unit)
    n = max(len(spec.labels), 1)
    slot = plot.width() / n

    def x_of(i: float) -> float:
        return plot.left() + (i + 0.5) * slot

    every = max(1, math.ceil(n / max(plot.width() / (fm.horizontalAdvance("2027-01") * 1.4), 1)))
    painter.setPen(MUTED)
    for i, label in enumerate(spec.labels):
        if i % every == 0:
            painter.drawText(QRectF(x_of(i) - slot * every / 2, plot.bottom() + 2 * px, slot * every, fm.height()),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
    painter.setClipRect(plot.adjusted(-2 * px, -2 * px, 2 * px, 2 * px))
    if spec.style == "line":
        _lines(painter, spec, x_of, y_of, px)
    else:
        _bars(painter, spec, x_of, y_of, slot, px)
    painter.setClipping(False)
    painter.setPen(QPen(MUTED, 0.75 * px))
    painter.drawLine(QPointF(plot.left(), y_of(max(y0, 0.0))), QPointF(plot.right(), y_of(max(y0, 0.0))))
    _legend(painter, spec, QRectF(plot.left(), rect.bottom() - legend_h, plot.width(), legend_h), px)
    painter.restore()


def _lines(painter: QPainter, spec: ChartSpec, x_of: Scale, y_of: Scale, px: float) -> None:
    """Every band first, then every line: a translucent band never tints another scenario's line."""
    for s in spec.series:
        if not (s.low and s.high):
            continue
        band = QPolygonF()
        for i, v in enumerate(s.high):
            if v is not None:
                band.append(QPointF(x_of(i), y_of(v)))
        for i, v in reversed(list(enumerate(s.low))):
            if v is not None:
                band.append(QPointF(x_of(i), y_of(v)))
        fill = QColor(s.colour)
        fill.setAlphaF(0.18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(fill))
        painter.drawPolygon(band)
    for s in spec.series:
        path = QPainterPath()
        started = False
        for i, v in enumerate(s.values):
            if v is None:
                started = False
                continue
            point = QPointF(x_of(i), y_of(v))
            if started:
                path.lineTo(point)
            else:
                path.moveTo(point)
                started = True
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(s.colour), 1.6 * px))
        painter.drawPath(path)


def _bars(painter: QPainter, spec: ChartSpec, x_of: Scale, y_of: Scale, slot: float, px: float) -> None:
    stacked = spec.style == "stacked"
    count = 1 if stacked else max(len(spec.series), 1)
    width = slot * 0.75 / count
    base = [0.0] * len(spec.labels)
    for k, s in enumerate(spec.series):
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(s.colour)))
        for i, v in enumerate(s.values):
            if v is None or i >= len(base):
                continue
            bottom = base[i] if stacked else 0.0
            top = bottom + v
            left = x_of(i) - slot * 0.375 + (0 if stacked else k * width)
            painter.drawRect(QRectF(left, y_of(max(top, bottom)), width, abs(y_of(bottom) - y_of(top))))
            if stacked:
                base[i] = top


def _legend(painter: QPainter, spec: ChartSpec, rect: QRectF, px: float) -> None:
    fm = painter.fontMetrics()
    x = rect.left()
    box = fm.height() * 0.7
    for s in spec.series:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(s.colour)))
        painter.drawRect(QRectF(x, rect.center().y() - box / 2, box, box))
        painter.setPen(INK)
        text_w = fm.horizontalAdvance(s.name)
        painter.drawText(QRectF(x + box + 3 * px, rect.top(), text_w + 2 * px, rect.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, s.name)
        x += box + text_w + 14 * px


def paint_table(painter: QPainter, rect: QRectF, header: list[str], rows: list[list[str]],
                colours: list[str | None] | None = None) -> None:
    """A plain table: bold header, first column left, figures right-aligned, light rules."""
    dpi = painter.device().logicalDpiY() if painter.device() else 96
    px = dpi / 72.0
    painter.save()
    painter.setFont(font(7.5))
    fm = painter.fontMetrics()
    row_h = fm.height() * 1.45
    first_w = rect.width() * (0.46 if len(header) <= 2 else 0.40)
    other_w = (rect.width() - first_w) / max(len(header) - 1, 1)
    y = rect.top()
    for r, cells in enumerate([header, *rows]):
        if y + row_h > rect.bottom():
            break
        painter.setFont(font(7.5, bold=r == 0))
        for c, text in enumerate(cells):
            x = rect.left() if c == 0 else rect.left() + first_w + (c - 1) * other_w
            w = first_w if c == 0 else other_w
            if r == 0 and colours and c < len(colours) and colours[c]:
                painter.fillRect(QRectF(x, y + row_h - 2.5 * px, w - 4 * px, 2.5 * px), QColor(colours[c]))
            painter.setPen(INK)
            align = (Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(QRectF(x, y, w - 4 * px, row_h), align,
                             fm.elidedText(text, Qt.TextElideMode.ElideRight, int(w - 4 * px)))
        y += row_h
        painter.setPen(QPen(GRID, 0.5 * px))
        painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
    painter.restore()


def save_chart_png(spec: ChartSpec, path: str | Path, width: int = 1600, height: int = 900, dpi: int = 144) -> Path:
    """The chart as a PNG (what the window's "Export charts" writes), white background."""
    ensure_gui()
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    margin = dpi / 72.0 * 12
    paint_chart(painter, QRectF(margin, margin, width - 2 * margin, height - 2 * margin), spec)
    painter.end()
    path = Path(path)
    # PySide6 6.11 types `format` as bytes, yet takes only str at run time
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]
        raise OSError(f"could not write {path}")
    return path


__all__ = ["axis_text", "ensure_gui", "nice_ticks", "paint_chart", "paint_table", "save_chart_png"]
