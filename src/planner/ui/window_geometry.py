"""Where the window opens: inside the available screen, at the size the user left it.

A 1366x768 projector must not get a 1440x900 window with its right column and
bottom off screen. The saved geometry is restored when it fits; otherwise it is
shrunk and moved into the screen's available area (without task bars).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1440, 900)


def default_rect(available: QRect, minimum: QSize) -> QRect:
    """The preferred size, shrunk to the available area (never below `minimum`), centred in it."""
    width = max(minimum.width(), min(PREFERRED.width(), available.width()))
    height = max(minimum.height(), min(PREFERRED.height(), available.height()))
    left = available.left() + max(0, (available.width() - width) // 2)
    top = available.top() + max(0, (available.height() - height) // 2)
    return QRect(left, top, width, height)


def fit_rect(rect: QRect, available: QRect, minimum: QSize) -> QRect:
    """`rect` shrunk to fit `available` and moved inside it."""
    width = max(minimum.width(), min(rect.width(), available.width()))
    height = max(minimum.height(), min(rect.height(), available.height()))
    left = min(max(rect.left(), available.left()), available.right() + 1 - width)
    top = min(max(rect.top(), available.top()), available.bottom() + 1 - height)
    return QRect(max(left, available.left()), max(top, available.top()), width, height)


def place_window(window: QWidget, saved: str | None) -> None:
    """Restore `saved` (base64 of `saveGeometry`) when given, then make the window fit its screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1440, 900)
    minimum = window.minimumSize()
    if saved and window.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
        if window.isMaximized() or window.isFullScreen():
            return
        window.setGeometry(fit_rect(window.geometry(), available, minimum))
        return
    window.setGeometry(default_rect(available, minimum))
