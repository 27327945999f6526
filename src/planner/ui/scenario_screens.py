"""`planner screenshot --panel compare` and `--workshop`: the compare view and workshop mode as PNGs.

Headless like the main window's screenshot: the data is read on this thread,
the results are awaited, and only then is the view grabbed, so a picture
never shows a half-computed state. Without a scenario file the demo gets
three example scenarios beside its baseline (the brand share asked for, a
brand push and a lead-gen-heavy plan), so the compare view has something to
compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

from planner.errors import InputError
from planner.scenario.document import Scenario

EXAMPLES: tuple[tuple[str, float], ...] = (("Brand push", 0.60), ("Lead gen heavy", 0.15))


def render_scenario_view(
    out: str | Path,
    view: Literal["compare", "workshop"],
    *,
    files: Sequence[str | Path] = (),
    scenario_file: str | Path | None = None,
    size: tuple[int, int] = (1366, 768),
    theme: str = "light",
    timeout: float = 120.0,
    brand_share: float | None = None,
    months: int | None = None,
    language: str | None = None,
) -> Path:
    """Render the compare view or workshop mode over the demo (or `files`, or a scenario file) to a PNG."""
    from planner.resources import demo_paths
    from planner.scenario.files import load
    from planner.ui.app import (
        _wait_for,
        apply_language,
        apply_theme,
        build_window,
        create_application,
        load_files_now,
        wait_until_settled,
    )
    from planner.ui.scenario_files import read_inputs
    from planner.ui.settings import Settings

    app = create_application()
    apply_theme(app, theme)
    apply_language(language or Settings.load(read_only=True).language)
    if language:  # number formats follow the chosen language, as in the main window's screenshot
        from planner.ui.language import use_locale_of

        use_locale_of(language)
    window = build_window(Settings.load(read_only=True))
    window.resize(*size)
    window.show()
    try:
        ws = window.workspace
        if scenario_file is not None:
            doc = load(scenario_file)
            opened = read_inputs(doc, scenario_file)
            ws.load(opened.budget, opened.deals, opened.files, scenarios=doc.scenarios)
        else:
            load_files_now(ws, list(files) if files else list(demo_paths()))
            ws.change(replace(ws.scenario, brand_share=0.46 if brand_share is None else float(brand_share)),
                      "Screenshot")
            if view == "compare":
                scenarios = ws.scenarios
                for name, share in EXAMPLES:
                    scenarios = scenarios.add(Scenario(name=name, brand_share=share), select=False)
                ws.change_scenarios(scenarios, "Screenshot")
        if months is not None:
            ws.change(replace(ws.scenario, months=int(months)), "Screenshot")
        if not wait_until_settled(window, timeout):
            raise InputError(None, f"results did not arrive within {timeout:.0f} s")
        actions = window.scenario_actions  # type: ignore[attr-defined]
        if view == "compare":
            shown = actions.show_compare()
            shown.resize(*size)
            if not _wait_for(lambda: not shown.is_busy() and bool(shown.rows), timeout):
                raise InputError(None, f"the comparison did not finish within {timeout:.0f} s")
        else:
            shown = actions.show_workshop(full_screen=False)
            shown.resize(*size)
            _wait_for(lambda: bool(shown.takeaway.text()), timeout)
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not shown.grab().save(str(out), "PNG"):
            raise InputError(out, "could not write the PNG")
        return out
    finally:
        window.close()


__all__ = ["EXAMPLES", "render_scenario_view"]
