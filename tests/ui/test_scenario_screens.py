"""`planner screenshot --panel compare` and `--workshop` render the views at the sizes asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from planner.cli import main


@pytest.mark.parametrize("flags", [["--panel", "compare"], ["--workshop"]])
def test_screenshot_renders_the_view(tmp_path: Path, flags: list[str], capsys) -> None:
    out = tmp_path / "view.png"
    assert main(["screenshot", "--demo", *flags, "--size", "1366x768", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for x in range(0, 1366, 7) for y in range(0, 768, 7)}
    assert len(colours) > 50  # charts and text, not an empty window
