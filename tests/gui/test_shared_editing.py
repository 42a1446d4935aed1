"""Several planners on one plan: others' changes arrive, stale edits are put to the planner."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import Nation
from scheduler.services import edits, records
from scheduler.services.changes import Changes
from scheduler.services.entity_specs import spec_for
from scheduler.storage import open_plan
from scheduler.ui.document import OVERWRITE, RELOAD, PlanDocument, UndoStep
from scheduler.ui.main_window import MainWindow
from tests.gui.conftest import click_nav


def _nation_values(document: PlanDocument, code: str) -> dict[str, object]:
    spec = spec_for("nation")

    def read(session: object) -> dict[str, object]:
        uuid = session.scalar(select(Nation.uuid).where(Nation.code == code))  # type: ignore[attr-defined]
        return records.read_values(session, spec, uuid)  # type: ignore[arg-type]

    return document.read(read)  # type: ignore[arg-type]


def _change_elsewhere(document: PlanDocument, code: str, name: str) -> None:
    """Another planner's edit: a session of its own, not through this window."""
    with document.plan.session() as session:
        session.info["user"] = "bora@cell"
        nation = session.scalars(select(Nation).where(Nation.code == code)).one()
        nation.name = name


def test_changes_by_others_are_noticed_and_own_are_not(qtbot: QtBot, empty_plan_path: Path) -> None:
    document = PlanDocument(open_plan(empty_plan_path), watch=False)
    try:
        document.watcher.start()
        seen: list[Changes] = []
        document.changed.connect(seen.append)
        assert not document.watcher.poll()
        values = _nation_values(document, "AL")
        document.push(
            UndoStep(
                "Rename",
                edits.update_record,
                "nation",
                str(values["uuid"]),
                {**values, "name": "A"},
                expected_version=values["version_id"],
            )
        )
        seen.clear()
        assert not document.watcher.poll()  # our own edit is not news
        _change_elsewhere(document, "ME", "Crna Gora")
        assert document.watcher.poll()
        assert seen and seen[-1].touches("nation")
    finally:
        document.close()


def test_the_timer_looks_off_the_gui_thread(qtbot: QtBot, empty_plan_path: Path) -> None:
    document = PlanDocument(open_plan(empty_plan_path), watch=False)
    try:
        document.watcher.start()
        noticed: list[object] = []
        document.watcher.noticed.connect(noticed.append)
        _change_elsewhere(document, "RS", "Србија")
        document.watcher.poll_in_background()
        qtbot.waitUntil(lambda: noticed == [("bora@cell",)], timeout=10_000)
    finally:
        document.close()


def test_stale_edit_asks_reload_or_overwrite(qtbot: QtBot, empty_plan_path: Path) -> None:
    document = PlanDocument(open_plan(empty_plan_path), watch=False)
    asked: list[str] = []
    failed: list[str] = []
    document.failed.connect(failed.append)
    try:
        seen = _nation_values(document, "AL")
        _change_elsewhere(document, "AL", "Republic of Albania")
        document.stale_resolver = lambda error: asked.append(str(error)) or RELOAD  # type: ignore[func-returns-value]
        mine = {**seen, "name": "Shqipëria"}

        def rename() -> UndoStep:
            return UndoStep(
                "Rename",
                edits.update_record,
                "nation",
                str(seen["uuid"]),
                mine,
                expected_version=seen["version_id"],
            )

        assert not document.push(rename())
        assert "bora@cell changed name" in asked[0]
        assert _nation_values(document, "AL")["name"] == "Republic of Albania"
        document.stale_resolver = lambda error: OVERWRITE
        assert document.push(rename())
        assert _nation_values(document, "AL")["name"] == "Shqipëria"
        document.undo_stack.undo()  # undo brings back theirs, not the stale one
        assert _nation_values(document, "AL")["name"] == "Republic of Albania"
        assert not failed
    finally:
        document.close()


def test_file_menu_offers_a_shared_plan(window: MainWindow) -> None:
    action = window.actions_by_name["open_server"]
    assert "shared plan" in action.text()


def test_undo_of_a_drag_is_refused_when_someone_changed_the_event_since(
    qtbot: QtBot, demo_plan_path: Path
) -> None:
    from datetime import timedelta

    from scheduler.model import TrainingEvent

    document = PlanDocument(open_plan(demo_plan_path), watch=False)
    failed: list[str] = []
    document.failed.connect(failed.append)
    try:
        uuid, start = document.read(
            lambda s: s.execute(select(TrainingEvent.uuid, TrainingEvent.start).limit(1)).one()
        )
        later = start.date() + timedelta(days=14)
        assert document.push(UndoStep("Move event", edits.move_event, uuid, later))
        with document.plan.session() as session:  # another planner adds a remark
            session.info["user"] = "bora@cell"
            event = session.scalars(select(TrainingEvent).where(TrainingEvent.uuid == uuid)).one()
            event.partner_remarks = "Moved at the partner's request"
        document.undo_stack.undo()
        assert failed and "bora@cell" in failed[-1]
        remarks, moved_start = document.read(
            lambda s: s.execute(
                select(TrainingEvent.partner_remarks, TrainingEvent.start).where(
                    TrainingEvent.uuid == uuid
                )
            ).one()
        )
        assert remarks == "Moved at the partner's request"  # theirs is kept
        assert moved_start.date() >= later
    finally:
        document.close()


def test_every_page_opens_on_a_shared_plan(
    qtbot: QtBot, window: MainWindow, demo_plan_path: Path, server_url: str
) -> None:
    """A plan on a server has no file: no page may ask it for one (the
    calendar did, and failed on every shared plan)."""
    from scheduler.cli import main

    assert main(["copy", str(demo_plan_path), server_url]) == 0
    assert window.open_path(server_url)
    shown = []
    for row in range(window.nav.count()):
        page = click_nav(qtbot, window, row)
        assert page.isVisible(), window.nav.item(row).text()
        shown.append(page.objectName())
    assert len(set(shown)) == window.nav.count()
