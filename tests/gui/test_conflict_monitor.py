"""The conflict monitor lends its engine to background reads without changing it under them."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import TrainingEvent
from scheduler.planning.engine import ConflictEngine
from scheduler.services import edits, records
from scheduler.services.entity_specs import spec_for
from scheduler.ui.conflict_monitor import ConflictMonitor
from scheduler.ui.document import PlanDocument, UndoStep
from scheduler.ui.main_window import MainWindow


def _checked(
    window: MainWindow, plan: Path, qtbot: QtBot
) -> tuple[ConflictMonitor, PlanDocument, ConflictEngine]:
    """The plan open, its first conflict check done."""
    window.open_path(plan)
    monitor, document = window.monitor, window.document
    assert monitor is not None and document is not None
    qtbot.waitUntil(lambda: monitor.ready, timeout=60_000)
    engine = monitor.engine
    assert engine is not None
    return monitor, document, engine


def test_an_edit_during_a_lent_read_is_rechecked_after_it(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    monitor, document, engine = _checked(window, demo_plan_path, qtbot)
    event_id, uuid = document.read(
        lambda s: s.execute(select(TrainingEvent.id, TrainingEvent.uuid).limit(1)).one()
    )
    start = engine.plan.events[event_id].start
    release = threading.Event()
    seen: list[object] = []

    def hold(lent: ConflictEngine) -> datetime:
        release.wait(30)
        return lent.plan.events[event_id].start

    assert monitor.read_engine(hold, seen.append, seen.append)

    spec = spec_for("event")
    values = document.read(lambda s: records.read_values(s, spec, uuid))
    moved = {**values, "start": start + timedelta(days=1), "end": values["end"] + timedelta(days=1)}
    assert document.push(
        UndoStep(
            "Move",
            edits.update_record,
            "event",
            uuid,
            moved,
            expected_version=values["version_id"],
        )
    )
    # The worker still holds the engine: the edit waits for it.
    assert engine.plan.events[event_id].start == start

    with qtbot.waitSignal(monitor.updated, timeout=30_000):
        release.set()
    assert seen == [start]  # the read saw the engine as it was lent
    assert engine.plan.events[event_id].start == start + timedelta(days=1)


def test_the_event_editor_what_if_waits_for_a_lent_read(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    """The what-if puts the edited event into the engine for a moment; a worker
    reading the engine meanwhile must never see it."""
    from scheduler.ui.event_editor.dialog import EventEditor

    monitor, document, engine = _checked(window, demo_plan_path, qtbot)
    event_id, uuid = document.read(
        lambda s: s.execute(select(TrainingEvent.id, TrainingEvent.uuid).limit(1)).one()
    )
    start = engine.plan.events[event_id].start
    values = document.read(lambda s: records.read_values(s, spec_for("event"), uuid))
    editor = EventEditor(document, monitor, values, uuid)
    qtbot.addWidget(editor)
    editor.start_date.setDate(editor.start_date.date().addDays(3))
    release = threading.Event()
    seen: list[object] = []

    def hold(lent: ConflictEngine) -> datetime:
        release.wait(30)
        return lent.plan.events[event_id].start

    assert monitor.read_engine(hold, seen.append, seen.append)
    editor.update_conflicts()
    assert editor.conflict_texts() == ["Conflicts are being checked…"]
    release.set()
    qtbot.waitUntil(lambda: bool(seen), timeout=30_000)
    assert seen == [start]  # the worker never saw the editor's what-if
    qtbot.waitUntil(
        lambda: editor.conflict_texts() != ["Conflicts are being checked…"], timeout=10_000
    )
    assert engine.plan.events[event_id].start == start  # the what-if put the event back
