"""Events ▸ right-click ▸ Certificates…: a folder, one marked PDF, serials undone with Undo."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import Enrolment
from scheduler.storage import PlanAccess, open_plan
from scheduler.ui.main_window import MainWindow
from scheduler.ui.tables.events_page import EventsPage
from tests.trainees import enrol_a_platoon_commander


def _serial(path: Path, uuid: str) -> str | None:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        return s.scalars(select(Enrolment.certificate_serial).where(Enrolment.uuid == uuid)).one()


def test_certificates_of_an_event_from_the_window(
    window: MainWindow,
    demo_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        trainee, _ = enrol_a_platoon_commander(session)
        passed = next(e for e in trainee.enrolments if e.status == "passed")
        ref, uuid = passed.event.ref, passed.uuid
    window.open_path(demo_plan_path)
    window.show_event(ref)
    page = window.current_page()
    assert isinstance(page, EventsPage)
    qtbot.waitUntil(lambda: bool(page.selected_uuids()), timeout=30_000)
    said: list[str] = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    action = next(a for a in page.table.actions() if a.objectName() == "certificates")
    action.trigger()
    pdf = tmp_path / f"{ref} certificates.pdf"
    assert said == [f"Wrote 1 certificate to {pdf}, marked “OFFICIAL-SENSITIVE”."]
    assert _serial(demo_plan_path, uuid) == f"{ref}/01"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Ѓорѓи Трајковски" in text and f"{ref}/01" in text and "OFFICIAL-SENSITIVE" in text
    assert window.document is not None
    assert window.document.undo_stack.undoText() == f"Give certificate serials ({ref})"
    window.actions_by_name["undo"].trigger()
    assert _serial(demo_plan_path, uuid) is None
