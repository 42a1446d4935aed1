"""Shared plans on PostgreSQL: the CLI contract on both back ends, copies, stale edits,
concurrent imports. The server comes from ``tests/integration/postgres.py``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from scheduler.cli import main
from scheduler.errors import StaleEditError, UserError
from scheduler.model import Qualification, TrainingEvent
from scheduler.services import records
from scheduler.services.entity_specs import spec_for
from scheduler.storage import PlanAccess, create_plan, open_plan
from scheduler.storage.location import ServerLocation, is_server_url, parse_location
from scheduler.storage.schema import head_revision
from tests.integration.postgres import PostgresServer


@pytest.fixture(params=["file", "server"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new plan goes: a file path, or a new database on the test server."""
    if request.param == "file":
        return str(tmp_path / "plan Đurić.tsplan")
    return str(request.getfixturevalue("server_url"))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _info(capsys: pytest.CaptureFixture[str], plan: str) -> dict[str, Any]:
    code, out, err = _run(capsys, "info", "--json", plan)
    assert code == 0, err
    return dict(json.loads(out))


def _schedule_cells(path: Path) -> list[tuple[Any, ...]]:
    sheet = load_workbook(path, read_only=True)["Schedule"]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_cli_contract(capsys: pytest.CaptureFixture[str], location: str, tmp_path: Path) -> None:
    code, out, err = _run(capsys, "new", location, "--name", "Contract")
    assert code == 0, err
    assert _info(capsys, location)["counts"]["nations"] == 7
    code, _, err = _run(capsys, "new", location)
    assert code == 2 and "already" in err
    code, out, err = _run(capsys, "demo", location, "--force")
    assert code == 0, err
    info = _info(capsys, location)
    assert info["schema"] == head_revision() and info["counts"]["events"] > 100
    code, out, err = _run(capsys, "check", "--json", location)
    assert code in (0, 1), err
    conflicts = json.loads(out)
    assert conflicts and {"rule", "severity", "message"} <= set(conflicts[0])
    workbook = tmp_path / "schedule.xlsx"
    code, _, err = _run(capsys, "export", location, "-o", str(workbook), "--quiet")
    assert code == 0, err
    assert len(_schedule_cells(workbook)) == info["counts"]["events"] + 1
    template = tmp_path / "filled.xlsx"
    code, _, err = _run(capsys, "template", str(template), "--plan", location)
    assert code == 0, err
    code, out, err = _run(capsys, "import", location, str(template))
    assert code == 0, err + out
    assert _info(capsys, location)["counts"] == info["counts"]  # updates, never duplicates
    code, out, err = _run(capsys, "migrate", location)
    assert code == 0 and "up to date" in out


def test_location_parsing() -> None:
    assert parse_location("plans/a.tsplan") == Path("plans/a.tsplan")
    server = parse_location("postgresql://anna:s3cret@db.example.org/plan")
    assert isinstance(server, ServerLocation)
    assert server.url.startswith("postgresql+psycopg://")
    assert "s3cret" not in server.display and "***" in server.display
    assert is_server_url("postgres://x@y/z") and not is_server_url("C:/plans/a.tsplan")


def test_connection_errors_are_plain_and_hide_the_password(
    capsys: pytest.CaptureFixture[str], postgres_server: PostgresServer
) -> None:
    code, out, err = _run(capsys, "info", "postgresql+psycopg://anna:Hunter2pw@127.0.0.1:1/plan")
    assert code == 2
    assert "Hunter2pw" not in err + out and "nothing answers" in err
    missing = postgres_server.url("no_such_db").replace("postgres@", "postgres:Hunter2pw@")
    code, out, err = _run(capsys, "info", missing)
    assert code == 2 and "does not exist" in err and "Hunter2pw" not in err + out


def test_server_plan_newer_revision_and_foreign_database_are_refused(server_url: str) -> None:
    with create_plan(server_url) as plan, plan.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(UserError, match="newer version"):
        open_plan(server_url)
    with pytest.raises(UserError, match="--force"):
        create_plan(server_url)


def test_empty_server_database_says_how_to_start(server_url: str) -> None:
    with pytest.raises(UserError, match="no plan at"):
        open_plan(server_url, access=PlanAccess.READ)


def test_copy_file_server_file_is_identical(
    capsys: pytest.CaptureFixture[str], demo_plan_path: Path, server_url: str, tmp_path: Path
) -> None:
    back = tmp_path / "back.tsplan"
    code, _, err = _run(capsys, "copy", str(demo_plan_path), server_url)
    assert code == 0, err
    code, _, err = _run(capsys, "copy", str(demo_plan_path), server_url)
    assert code == 2 and "--force" in err  # a target with data is refused
    code, _, err = _run(capsys, "copy", server_url, str(back))
    assert code == 0, err
    assert (
        _info(capsys, str(demo_plan_path)) == _info(capsys, server_url) == _info(capsys, str(back))
    )
    exports = []
    for source, name in ((demo_plan_path, "a"), (back, "b")):
        target = tmp_path / f"{name}.xlsx"
        assert _run(capsys, "export", str(source), "-o", str(target), "--quiet")[0] == 0
        exports.append(_schedule_cells(target))
    assert exports[0] == exports[1]
    # Same ids, uuids, refs and versions; the server's sequences continue past them.
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        original = session.execute(
            select(
                TrainingEvent.id, TrainingEvent.uuid, TrainingEvent.ref, TrainingEvent.version_id
            ).order_by(TrainingEvent.id)
        ).all()
    with open_plan(server_url) as plan:
        with plan.session() as session:
            copied = session.execute(
                select(
                    TrainingEvent.id,
                    TrainingEvent.uuid,
                    TrainingEvent.ref,
                    TrainingEvent.version_id,
                ).order_by(TrainingEvent.id)
            ).all()
        assert copied == original
        with plan.session() as session:
            probe = Qualification(code="PROBE", name="Sequence probe")
            session.add(probe)
            session.flush()
            new_id = probe.id
            highest = session.scalar(
                select(func.max(Qualification.id)).where(Qualification.code != "PROBE")
            )
        assert highest is not None and new_id > highest


def test_second_of_two_edits_of_one_event_is_refused(location: str) -> None:
    create_plan(location).close()
    assert main(["demo", location, "--force"]) == 0
    spec = spec_for("event")
    with open_plan(location, access=PlanAccess.READ) as reader, reader.session() as session:
        uuid = session.scalars(select(TrainingEvent.uuid).order_by(TrainingEvent.id)).first()
        assert uuid is not None
        seen = records.read_values(session, spec, uuid)
    first = open_plan(location) if is_server_url(location) else None
    plan = first or open_plan(location)
    try:
        # Anna and Bora both loaded version ``seen``; Anna saves first.
        anna = {**seen, "notes": "Anna's note"}
        with plan.session() as session:
            session.info["user"] = "anna@cell"
            records.update(session, spec, uuid, anna, expected_version=seen["version_id"])
        bora = {**seen, "partner_remarks": "Bora's remark"}
        with pytest.raises(StaleEditError) as refused, plan.session() as session:
            session.info["user"] = "bora@cell"
            records.update(session, spec, uuid, bora, expected_version=seen["version_id"])
        error = refused.value
        assert error.changed_by == "anna@cell" and error.fields == ("notes",)
        assert error.entity == "TrainingEvent" and error.label == seen["ref"]
        assert "anna@cell changed notes" in str(error) and seen["ref"] in str(error)
        with plan.session() as session:
            now = records.read_values(session, spec, uuid)
        assert now["notes"] == "Anna's note" and now["partner_remarks"] == seen["partner_remarks"]
        # Overwrite, knowingly: based on the fresh version it goes through.
        with plan.session() as session:
            records.update(session, spec, uuid, bora, expected_version=now["version_id"])
    finally:
        plan.close()


def _split_template(source: Path, target: Path, keep: slice) -> int:
    """The template with only some events, refs blanked so the plan allocates them
    (and no enrolments, modules or costs: they name events by Ref)."""
    workbook = load_workbook(source)
    for name in ("Enrolments", "Modules", "Costs"):
        workbook[name].delete_rows(2, workbook[name].max_row)
    sheet = workbook["Events"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    chosen = [row for row in rows[keep] if not row[8]]  # single events, no series
    sheet.delete_rows(2, sheet.max_row)
    for row in chosen:
        sheet.append([None, *row[1:]])
    workbook.save(target)
    return len(chosen)


def test_two_processes_import_at_once_into_one_server_plan(
    demo_plan_path: Path, server_url: str, tmp_path: Path
) -> None:
    template = tmp_path / "all.xlsx"
    assert main(["template", str(template), "--plan", str(demo_plan_path)]) == 0
    halves = [tmp_path / "first.xlsx", tmp_path / "second.xlsx"]
    expected = _split_template(template, halves[0], slice(0, 120))
    expected += _split_template(template, halves[1], slice(120, 240))
    create_plan(server_url).close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "scheduler", "import", server_url, str(half)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for half in halves
    ]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, out + err
    with open_plan(server_url, access=PlanAccess.READ) as plan, plan.session() as session:
        count = session.scalar(select(func.count()).select_from(TrainingEvent))
        refs = session.scalar(select(func.count(func.distinct(TrainingEvent.ref))))
    assert count == expected and refs == expected
