"""The desktop app (PySide6 + pyqtgraph).

Widgets here render state and forward user intent to the `Workspace`; the
maths lives in `planner.model`. Nothing outside `planner.ui` and
`planner.commands.screenshot` imports Qt.
"""

from __future__ import annotations

import sys


def _pin_singletons() -> None:
    """Keep None, True and False alive under PySide6's abi3 build on CPython 3.11.

    PySide6 6.12 drops one reference to None (and, from some calls, to
    True/False) per call on CPython < 3.12, where those objects are not yet
    immortal (PEP 683). A live chart makes thousands of such calls a minute,
    so the app aborted with "none_dealloc: deallocating None" after a few
    seconds of dragging (reproduced: `QSignalBlocker`, `QTimer.start`,
    `setData` each lose references). Giving the three singletons a huge
    reference count makes them effectively immortal, as they are on 3.12+.
    Only the reference count field of these three static objects is touched.
    """
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):
        return  # immortal already, or a debug build with a different object layout
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40


_pin_singletons()
