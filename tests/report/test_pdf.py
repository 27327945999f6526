"""`planner report --out x.pdf`: one page per scenario, drawn by Qt's PDF writer; PNG chart export."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from tests.report.conftest import SCENARIOS

from planner.report.charts import pipeline_bars, revenue_fan, spend_bars
from planner.report.data import build_report
from planner.scenario.collection import ScenarioSet

PAGE = re.compile(rb"/Type\s*/Page\b")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=240)


@pytest.fixture(scope="module")
def pdf(report_inputs):
    folder, budget, crm, plan = report_inputs
    out = folder / "board.pdf"
    run = _cli("report", "--budget", str(budget), "--crm", str(crm), "--scenario", str(plan), "--out", str(out),
               "--paths", "1000")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"wrote {out}")
    return out


def test_one_page_per_scenario(pdf) -> None:
    body = pdf.read_bytes()
    assert body.startswith(b"%PDF-")
    assert len(PAGE.findall(body)) == 1 + len(SCENARIOS)
    assert b"/Pages" in body


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_first_page_renders(pdf, tmp_path, qapp) -> None:
    from PySide6.QtGui import QImage

    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    image = QImage(str(tmp_path / "page.png"))
    assert not image.isNull()
    assert image.width() > image.height()  # landscape
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20  # charts and text, not a blank page


def test_chart_png_export(report_inputs, tmp_path, qapp) -> None:
    from PySide6.QtGui import QColor, QImage

    from planner.io.budget import load_budget
    from planner.io.crm import load_deals
    from planner.report.painter import save_chart_png

    _, budget, crm, _ = report_inputs
    scenarios = ScenarioSet()
    for scenario in SCENARIOS:
        scenarios = scenarios.add(scenario)
    data = build_report(load_budget(budget), load_deals(crm), scenarios, paths=300)
    fan = revenue_fan(data.scenarios, data.currency)
    assert [s.name for s in fan.series] == ["Baseline", "Brand push", "Cut 20 %"]
    assert all(s.low and s.high for s in fan.series)
    assert spend_bars(data.scenarios[1], data.currency).style == "stacked"
    for spec, name in ((fan, "fan.png"), (pipeline_bars(data.scenarios[1], data.currency), "pipeline.png")):
        path = save_chart_png(spec, tmp_path / name, width=1200, height=700)
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1200, 700)
        wanted = QColor(data.scenarios[1].colour)
        rgb = image.convertToFormat(QImage.Format.Format_RGB888)
        pixels = np.frombuffer(rgb.constBits(), np.uint8).reshape(700, rgb.bytesPerLine())[:, : 1200 * 3]
        pixels = pixels.reshape(700, 1200, 3).astype(int)
        hits = int((np.abs(pixels - [wanted.red(), wanted.green(), wanted.blue()]) < 12).all(axis=2).sum())
        assert hits > 50, name  # the scenario's colour is drawn (a line, not a stray pixel)  # the scenario's colour is drawn
