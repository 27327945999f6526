"""The desktop app (PySide6 + pyqtgraph).

Widgets here render state and forward user intent to the `Workspace`; the
maths lives in `planner.model`. Nothing outside `planner.ui` and
`planner.commands.screenshot` imports Qt.
"""
