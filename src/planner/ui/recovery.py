"""After a crash: offer to restore what the last session autosaved, then start this session's autosave.

`planner.scenario.autosave.recoverable()` finds autosaves newer than the last
clean exit whose process is gone (a crash, kill -9, a power cut). The newest
is offered; Restore opens it as unsaved work (the title keeps its mark until
the user saves), Discard deletes it, Not now keeps it for the next start.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QMainWindow, QMessageBox

from planner.i18n import tr
from planner.scenario.autosave import Recovery, discard, recoverable

MainWindow = QMainWindow  # planner.ui.main_window.MainWindow: not imported, it installs this module



def recovery_text(recovery: Recovery) -> str:
    """What the prompt says: when the work was saved, which scenarios, and where it came from."""
    when = dt.datetime.fromtimestamp(recovery.saved_at).strftime("%Y-%m-%d %H:%M")
    names = ", ".join(recovery.document.scenarios.names)
    text = tr("planner did not close properly last time. Restore the work autosaved at {when}?").format(when=when)
    text += "\n\n" + tr("Scenarios: {names}").format(names=names)
    if recovery.origin:
        text += "\n" + tr("From: {path}").format(path=recovery.origin)
    return text


def offer_recovery(window: MainWindow) -> bool:
    """Ask about the newest crashed session's autosave; True when it is being restored."""
    found = recoverable()
    if not found:
        return False
    newest = found[0]
    box = QMessageBox(QMessageBox.Icon.Question, tr("Restore unsaved work"), recovery_text(newest), parent=window)
    box.setObjectName("restoreAutosave")
    restore = box.addButton(tr("Restore"), QMessageBox.ButtonRole.AcceptRole)
    drop = box.addButton(tr("Discard"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(tr("Not now"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    clicked = box.clickedButton()
    if clicked is drop:
        discard(newest)
        return False
    if clicked is not restore:
        return False
    origin = Path(newest.origin) if newest.origin else None
    if not window.scenario_actions.open_document(newest.document, origin, restored=True):  # type: ignore[attr-defined]
        return False
    discard(newest)  # it now lives in this session's autosave slot
    return True


def start_scenario_session(window: MainWindow) -> bool:
    """The app's start-up hook: offer recovery, then autosave. True when work is being restored."""
    restored = offer_recovery(window)
    window.scenario_actions.start_autosave()  # type: ignore[attr-defined]
    return restored


__all__ = ["offer_recovery", "recovery_text", "start_scenario_session"]
