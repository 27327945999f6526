"""Colours and the "not current" look shared by every chart and the KPI strip.

Colours come from the palette (light or dark) so series keep their contrast
when the system switches; a panel showing another scenario's figures is
faded (`set_dimmed`) and says why (`stale_text`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QGraphicsOpacityEffect, QWidget

from planner.i18n import tr

if TYPE_CHECKING:
    from planner.ui.workspace import Workspace


@dataclass(frozen=True)
class Theme:
    """Series colours chosen for contrast on the current palette (light or dark)."""

    background: QColor
    foreground: QColor
    grid_alpha: float
    scenario: QColor
    baseline: QColor
    intent: QColor
    demand: QColor
    activity: QColor
    positive: QColor
    negative: QColor

    @staticmethod
    def from_palette(palette: QPalette) -> Theme:
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        dark = base.lightnessF() < 0.5
        if dark:
            return Theme(
                base, text, 0.18,
                scenario=QColor("#5aa9ff"), baseline=QColor("#b8b8b8"),
                intent=QColor("#4cc38a"), demand=QColor("#f0a040"),
                activity=QColor("#8c8c99"), positive=QColor("#4cc38a"), negative=QColor("#ff7b72"),
            )  # fmt: skip
        return Theme(
            base, text, 0.12,
            scenario=QColor("#1f63b5"), baseline=QColor("#5f6368"),
            intent=QColor("#1a7f4b"), demand=QColor("#c25e00"),
            activity=QColor("#8a8a96"), positive=QColor("#1a7f4b"), negative=QColor("#c62828"),
        )  # fmt: skip


STALE_OPACITY = 0.35


def set_dimmed(widget: QWidget, dimmed: bool) -> None:
    """Fade a widget that shows figures for another scenario (not current); undo with False."""
    effect = widget.graphicsEffect()
    if dimmed and not isinstance(effect, QGraphicsOpacityEffect):
        effect = QGraphicsOpacityEffect(widget)
        effect.setOpacity(STALE_OPACITY)
        widget.setGraphicsEffect(effect)
    elif not dimmed and effect is not None:
        # no effect at all when current: drawing stays fast (Qt takes None; PySide6's stubs omit it)
        widget.setGraphicsEffect(None)  # type: ignore[arg-type]


def is_dimmed(widget: QWidget) -> bool:
    return isinstance(widget.graphicsEffect(), QGraphicsOpacityEffect)


def stale_text(workspace: Workspace) -> str:
    """Why the figures on screen are not the current scenario's."""
    if workspace.failed:
        return tr("Not current: these figures are for the previous scenario; this one could not be computed.")
    return tr("Not current: these figures are for the previous scenario; recomputing\u2026")
