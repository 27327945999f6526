"""The installed Qt binding keeps Python's reference counts intact.

PySide6 6.12 on CPython 3.11 dropped a reference to None on calls such as
QTimer.start; a live chart makes thousands of them, and the interpreter
aborted with "deallocating None" mid-drag. pyproject pins a version without
the bug; this test fails (in a subprocess, so the suite survives) if a
broken build is ever installed again.
"""

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QObject, QSignalBlocker, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
timer, obj = QTimer(), QObject()
calls = [lambda: timer.start(1000), lambda: QSignalBlocker(obj), lambda: obj.blockSignals(False)]
before = [sys.getrefcount(x) for x in (None, True, False)]
for call in calls:
    for _ in range(2000):
        call()
after = [sys.getrefcount(x) for x in (None, True, False)]
print(*[a - b for a, b in zip(after, before)])
"""


def test_qt_calls_do_not_leak_or_drop_references_to_singletons() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.returncode == 0, out.stderr[-500:]
    drift = [int(x) for x in out.stdout.split()]
    assert all(abs(d) < 100 for d in drift), f"refcount drift of None/True/False: {drift}"
