"""Drive the merged window as a user would: switch language live, then use what the three merges added.

The scenario bar, the File menu's scenario actions, the Model health tab and
the KPI odds line come from different branches; a live switch rebuilds the
menus, so each must come back once, in the new language, and compare and
workshop must open in it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QToolBar

from planner.i18n import tr


def _texts(menu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_merged_features_survive_a_live_language_switch(qtbot, window) -> None:
    ws = window.workspace
    ws.change(replace(ws.scenario, brand_share=0.6), "Brand share")
    qtbot.waitUntil(lambda: ws.is_settled and not ws.is_busy and window.charts.shown is ws.results, timeout=60_000)
    odds = window.controls.kpis.odds
    qtbot.waitUntil(lambda: odds.text() != "", timeout=10_000)
    assert odds.text().startswith("Beats the budget")

    {a.data(): a for a in window.language_menu.actions()}["de"].trigger()
    try:
        qtbot.waitUntil(lambda: window.charts.shown is ws.results, timeout=10_000)
        file_texts = _texts(window.file_menu)
        for english in ("&Save", "Save &as\u2026", "Open s&cenario\u2026", "S&hare for review\u2026"):
            assert tr(english) != english
            assert file_texts.count(tr(english)) == 1, (english, file_texts)
        view_texts = _texts(window.view_menu)
        for english in ("&Compare scenarios", "&Workshop"):
            assert view_texts.count(tr(english)) == 1, (english, view_texts)
        assert [m.title() for m in window.menuBar().findChildren(type(window.file_menu)) if m.title() == window.file_menu.title()] == [window.file_menu.title()]

        bars = [b for b in window.findChildren(QToolBar) if b.isVisible()]
        assert bars == [window.scenario_bar]
        bar_texts = [a.text() for a in window.scenario_bar.actions() if a.text()]
        assert tr("Duplicate") in bar_texts and "Duplicate" not in bar_texts, bar_texts
        chips = [chip.text() for chip in window.scenario_bar.chips]
        assert tr("Baseline") in chips and "Baseline" not in chips, chips

        tabs = [window.panels.tabText(i) for i in range(window.panels.count())]
        assert tabs[-1] == tr("Model health") != "Model health"
        def odds_now():
            return window.controls.kpis.odds  # the window rebuilds its widgets in the new language

        qtbot.waitUntil(lambda: odds_now().text() != "" and not odds_now().text().startswith("Beats"), timeout=10_000)
        assert odds_now().isVisible()

        compare = window.scenario_actions.show_compare()
        qtbot.addWidget(compare)
        assert compare.windowTitle() == "" or "Compare" not in compare.windowTitle()
        workshop = window.scenario_actions.show_workshop(full_screen=False)
        qtbot.addWidget(workshop)
        assert workshop.horizon_group.button(36).text() == tr("{n} mo").format(n=36) != "36 mo"
        compare.close()
        workshop.close()
    finally:
        {a.data(): a for a in window.language_menu.actions()}["en"].trigger()
