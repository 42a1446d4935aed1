"""The reply loop end to end: a partner workbook goes out, comes back filled in
as a partner fills it (openpyxl, and saved again by LibreOffice where it is
installed), is previewed, and only what the planner accepts is written.
Altered, foreign and stale replies are refused with their reasons.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from scheduler.cli import main
from scheduler.errors import UserError
from scheduler.model import ChangeLog, PartnerResponse, Release, Trainee
from scheduler.services.exports import ExportRequest, export_plan
from scheduler.services.replies import ReplyPreview, apply_reply, work_out_reply
from scheduler.storage import PlanAccess, open_plan
from tests.plan_tables import plan_tables
from tests.replies import export_partner as _export
from tests.replies import fill_reply as _fill
from tests.replies import lines_of as _lines
from tests.replies import people_on_two_events
from tests.workbooks import resaved_by_libreoffice

TEST_PEOPLE = ("Ѓорѓи Трајковски", "Dritan Hoxha", "Ана Петровска")


def _preview(path: Path, reply: Path) -> ReplyPreview:
    """What a reply would change, worked out in a read-only plan (nothing written)."""
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        return work_out_reply(session, reply)


@pytest.fixture
def plan_with_people(demo_plan_path: Path) -> tuple[Path, list[str]]:
    return demo_plan_path, people_on_two_events(demo_plan_path)


def _unit_of_line(sheet: Any, ref: str) -> str:
    """One of the partner's units on an event (from its event line's last line)."""
    return str(_lines(sheet, ref)[0][1].value).rsplit("\n", 1)[1].split(":")[0]


def _people(path: Path) -> dict[str, list[tuple[str, str]]]:
    """The people the tests put in (the demo's own Albanians and Montenegrins left out)."""
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        return {
            t.name: sorted((e.event.ref, e.status.value) for e in t.enrolments)
            for t in s.scalars(select(Trainee).where(Trainee.name.in_(TEST_PEOPLE)))
        }


def _responses(path: Path) -> list[tuple[str, str, int | None, str | None]]:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        return [
            (r.event.ref, r.partner_code, r.confirmed_seats, r.remarks)
            for r in s.scalars(select(PartnerResponse))
        ]


def test_the_workbook_carries_a_locked_form_with_only_the_partners_people(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, refs = plan_with_people
    sent = _export(path, tmp_path / "MK.xlsx")
    workbook = load_workbook(sent)
    sheet = workbook["Nominations"]
    assert sheet.protection.sheet and workbook["Reply key"].sheet_state == "veryHidden"
    kinds = {
        str(dv.sqref)[0]: dv.type
        for dv in sheet.data_validations.dataValidation
        if dv.type in ("list", "whole")
    }
    assert kinds == {"F": "list", "G": "list", "I": "whole"}
    names = [line[2].value for line in _lines(sheet, refs[0]) if line[2].value]
    assert names == ["Ѓорѓи Трајковски"]  # not the Albanian trainee on the same event
    event_line = _lines(sheet, refs[0])[0]
    assert event_line[0].protection.locked and event_line[1].protection.locked
    assert not event_line[8].protection.locked and not event_line[9].protection.locked
    person_line = _lines(sheet, refs[0])[1]
    assert [c.protection.locked for c in person_line[2:8]] == [False] * 6
    every_text = " ".join(str(c.value) for row in workbook["Schedule"].iter_rows() for c in row)
    assert "Hoxha" not in every_text and "Hoxha" not in str(
        [c.value for row in sheet.iter_rows() for c in row]
    )


@pytest.mark.parametrize("made_by", ["excel", "libreoffice"])
def test_a_filled_reply_is_previewed_and_applied_as_accepted(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path, made_by: str
) -> None:
    path, refs = plan_with_people
    filled = _fill(_export(path, tmp_path / "MK.xlsx"), tmp_path / "MK filled.xlsx", refs)
    if made_by == "libreoffice":
        filled = resaved_by_libreoffice(filled, tmp_path / "saved by LibreOffice")
    before = plan_tables(path)
    preview = _preview(path, filled)
    assert plan_tables(path) == before  # a preview writes nothing
    shown = [(c.ref, c.kind, c.who, c.was, c.now) for c in preview.changes]
    unit = shown[2][4].split(", ")[1]
    assert shown == [
        (refs[0], "Confirmed seats", "", "", "17"),
        (refs[0], "Remarks", "", "", "Двајца доаѓаат подоцна — Ёлира"),
        (refs[0], "New nominee", "Ана Петровска (Ana Petrovska)", "", f"confirmed, {unit}"),
        (refs[1], "Status", "Ѓорѓи Трајковски (Gjorgji Trajkovski)", "nominated", "confirmed"),
    ]
    # The planner takes the people and the seats, and leaves the remark for now.
    accepted = [c.key for c in preview.changes if c.kind != "Remarks"]
    with open_plan(path) as plan, plan.session() as session:
        apply_reply(session, filled, accepted)
    assert _people(path) == {
        "Ѓорѓи Трајковски": sorted([(refs[0], "passed"), (refs[1], "confirmed")]),
        "Dritan Hoxha": [(refs[0], "nominated")],
        "Ана Петровска": [(refs[0], "confirmed")],
    }
    assert _responses(path) == [(refs[0], "MK", 17, None)]
    again = _preview(path, filled)
    assert [c.kind for c in again.changes] == ["Remarks"]


def test_a_cleared_line_withdraws_the_person(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, refs = plan_with_people
    sent = _export(path, tmp_path / "MK.xlsx")
    workbook = load_workbook(sent)
    line = next(row for row in _lines(workbook["Nominations"], refs[1])[1:] if row[2].value)
    for cell in line[2:8]:
        cell.value = None
    workbook.save(tmp_path / "cleared.xlsx")
    with open_plan(path) as plan, plan.session() as session:
        preview = work_out_reply(session, tmp_path / "cleared.xlsx")
        assert [(c.kind, c.was, c.now) for c in preview.changes] == [
            ("Status", "nominated", "withdrawn")
        ]
        apply_reply(session, tmp_path / "cleared.xlsx", [c.key for c in preview.changes])
    assert (refs[1], "withdrawn") in _people(path)["Ѓорѓи Трајковски"]


def test_altered_replies_are_refused_with_their_places(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, refs = plan_with_people
    sent = _export(path, tmp_path / "MK.xlsx")
    workbook = load_workbook(sent)
    sheet = workbook["Nominations"]
    first = _lines(sheet, refs[0])
    event_row, person_row = first[0][0].row, first[1][0].row
    last = sheet.max_row
    filled = _fill(
        sent,
        tmp_path / "altered.xlsx",
        refs,
        {
            (event_row, 2): "CFA — a course we would rather have",  # a locked cell
            (person_row, 9): 3,  # confirmed seats on a person's line
            (person_row + 1, 3): "Марко",  # a person with a unit no drop-down offers
            (person_row + 1, 6): "AL-1BN",
            (last + 1, 1): refs[0],  # a line added at the end
            (last + 1, 3): "Someone else",
            (person_row + 2, 3): "=UPPER(D5)",  # a formula saved without its result
            (person_row + 3, 3): "Ана",
            (person_row + 3, 8): "MK-" + "0" * 60,  # longer than a service number is
        },
    )
    before = plan_tables(path)
    preview = _preview(path, filled)
    assert preview.refused and preview.changes == []
    places = {(p.row, p.column): p.message for p in preview.problems}
    assert "not the partner's to change" in places[(event_row, "Course")]
    assert "not for filling in" in places[(person_row, "Confirmed seats")]
    assert "not one of your units" in places[(person_row + 1, "Unit")]
    assert "lines cannot be added" in places[(last + 1, None)]
    assert "formula whose result was never saved" in places[(person_row + 2, "Name")]
    assert "longer than 40 characters" in places[(person_row + 3, "Service number")]
    with open_plan(path) as plan, plan.session() as session, pytest.raises(UserError):
        apply_reply(session, filled, ["anything"])
    assert plan_tables(path) == before


def test_a_line_removed_shifts_every_line_below_and_is_refused(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, refs = plan_with_people
    workbook = load_workbook(_export(path, tmp_path / "MK.xlsx"))
    sheet = workbook["Nominations"]
    sheet.protection.sheet = False  # as a partner who unprotects it would
    row = _lines(sheet, refs[0])[1][0].row
    sheet.delete_rows(row)
    workbook.save(tmp_path / "shorter.xlsx")
    preview = _preview(path, tmp_path / "shorter.xlsx")
    assert preview.refused
    # Found where the shifted lines no longer match their event (the next Ref).
    first = preview.problems[0]
    assert "added, removed or moved" in first.message and first.row > row


def test_foreign_other_partners_and_stale_replies_are_refused(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path, empty_plan_path: Path
) -> None:
    path, _ = plan_with_people
    older = _export(path, tmp_path / "MK first.xlsx")
    _export(path, tmp_path / "MK second.xlsx")
    with (
        open_plan(path, access=PlanAccess.READ) as plan,
        plan.session() as session,
        pytest.raises(UserError, match="its events were sent again since"),
    ):
        work_out_reply(session, older)
    with (
        open_plan(empty_plan_path, access=PlanAccess.READ) as plan,
        plan.session() as session,
        pytest.raises(UserError, match="this plan did not send"),
    ):
        work_out_reply(session, tmp_path / "MK second.xlsx")
    workbook = load_workbook(tmp_path / "MK second.xlsx")
    workbook["Reply key"]["B3"] = "AL"
    workbook.save(tmp_path / "relabelled.xlsx")
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        with pytest.raises(UserError, match="went to MK: the file was altered"):
            work_out_reply(session, tmp_path / "relabelled.xlsx")
        with pytest.raises(UserError, match="not a partner's reply"):
            work_out_reply(session, _schedule_only(tmp_path))


def _schedule_only(tmp_path: Path) -> Path:
    workbook = load_workbook(tmp_path / "MK second.xlsx")
    del workbook["Reply key"]
    workbook.save(tmp_path / "no key.xlsx")
    return tmp_path / "no key.xlsx"


def test_the_reply_command(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, refs = plan_with_people
    filled = _fill(_export(path, tmp_path / "MK.xlsx"), tmp_path / "filled.xlsx", refs)
    assert main(["info", str(path), "--json"]) == 0
    counted = json.loads(capsys.readouterr().out)["counts"]
    before = (counted["trainees"], counted["enrolments"])
    assert main(["reply", str(path), str(filled), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "New nominee: Ана Петровска (Ana Petrovska)" in out and "dry run" in out
    assert "Ана Петровска" not in _people(path)
    assert main(["reply", str(path), str(filled)]) == 0
    assert "Imported 4 changes." in capsys.readouterr().out
    assert main(["info", str(path), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert (counts["trainees"], counts["enrolments"]) == (before[0] + 1, before[1] + 1)
    assert main(["reply", str(path), str(tmp_path / "missing.xlsx")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_names_go_only_where_they_may_and_are_recorded(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, refs = plan_with_people
    sent = _export(path, tmp_path / "MK.xlsx")
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        release = s.scalars(select(Release)).one()
        lieutenant = s.scalars(select(Trainee).where(Trainee.name == "Ѓорѓи Трајковски")).one()
        assert release.names_sent == [lieutenant.uuid]  # not the Albanian on the same event
        # Names are personal data: the default marking rises to OFFICIAL-SENSITIVE.
        assert release.marking == "OFFICIAL-SENSITIVE RELEASABLE TO MKD"
    assert load_workbook(sent)["Schedule"].oddHeader.center.text.count("OFFICIAL-SENSITIVE")
    with open_plan(path) as plan:
        typed = export_plan(
            plan, ExportRequest(tmp_path / "typed.xlsx", partner="MK", marking="OFFICIAL")
        )
        master = tmp_path / "master.xlsx"
        export_plan(plan, ExportRequest(master))
        calendar = tmp_path / "MK.ics"
        export_plan(plan, ExportRequest(calendar, partner="MK"))
    assert typed.marking == "OFFICIAL RELEASABLE TO MKD"  # a typed marking is the planner's
    master_text = " ".join(
        str(c.value)
        for ws in load_workbook(master).worksheets
        for row in ws.iter_rows()
        for c in row
    )
    calendar_text = calendar.read_text(encoding="utf-8")
    for name in ("Трајковски", "Trajkovski", "Hoxha"):
        assert name not in master_text and name not in calendar_text
    # Asked for, the master workbook lists who is on each event, marked for it,
    # and the plan's change log says that a file of names went out.
    with open_plan(path) as plan:
        named = export_plan(plan, ExportRequest(tmp_path / "named.xlsx", names=True))
    assert named.marking == "OFFICIAL-SENSITIVE"
    people = load_workbook(tmp_path / "named.xlsx")["Trainees"]
    rows = list(people.iter_rows(min_row=2, values_only=True))
    assert (refs[0], "Ѓорѓи Трајковски", "Gjorgji Trajkovski", "Passed") in {
        (r[0], r[3], r[4], r[8]) for r in rows
    }
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        [logged] = s.scalars(select(ChangeLog).where(ChangeLog.entity == "Export")).all()
        assert logged.new_value.endswith("trainees' names in named.xlsx")


def test_a_reply_says_only_what_the_partner_changed(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """After the release the planner marks the lieutenant attended and corrects
    his Latin name; the partner leaves his line alone: nothing of his is undone."""
    path, refs = plan_with_people
    sent = _export(path, tmp_path / "MK.xlsx")
    with open_plan(path) as plan, plan.session() as session:
        person = session.scalars(select(Trainee).where(Trainee.name == TEST_PEOPLE[0])).one()
        person.name_latin = "Ǵorǵi Trajkovski"
        next(e for e in person.enrolments if e.event.ref == refs[1]).status = "attended"
    untouched = load_workbook(sent)
    untouched.save(tmp_path / "as sent.xlsx")
    assert _preview(path, tmp_path / "as sent.xlsx").changes == []


def test_new_people_are_made_once_and_a_person_once_per_event(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, refs = plan_with_people
    workbook = load_workbook(_export(path, tmp_path / "MK.xlsx"))
    sheet = workbook["Nominations"]
    unit = _unit_of_line(sheet, refs[0])
    for ref in refs:  # one newcomer on both events, the unit typed in lower case
        line = next(row for row in _lines(sheet, ref)[1:] if row[2].value is None)
        line[2].value, line[5].value = "Нов Човек", unit.lower()
    workbook.save(tmp_path / "twice.xlsx")
    preview = _preview(path, tmp_path / "twice.xlsx")
    assert [c.kind for c in preview.changes] == ["New nominee", "New nominee"]
    assert preview.changes[0].now == f"nominated, {unit}"  # the plan's own spelling
    with open_plan(path) as plan, plan.session() as session:
        apply_reply(session, tmp_path / "twice.xlsx", [c.key for c in preview.changes])
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        [newcomer] = s.scalars(select(Trainee).where(Trainee.name == "Нов Човек")).all()
        assert sorted(e.event.ref for e in newcomer.enrolments) == sorted(refs)
        assert [p.unit.code for p in newcomer.postings] == [unit]
    # The lieutenant typed again on another line of his own event: refused with its row.
    again = load_workbook(_export(path, tmp_path / "MK again.xlsx"))
    lines = _lines(again["Nominations"], refs[1])
    spare = next(row for row in lines[1:] if row[2].value is None)
    spare[2].value = TEST_PEOPLE[0]
    again.save(tmp_path / "double.xlsx")
    preview = _preview(path, tmp_path / "double.xlsx")
    assert preview.refused
    assert "the same person as on row" in preview.problems[0].message
    assert preview.problems[0].row == spare[0].row


def test_a_name_typed_over_is_another_person_not_a_rename(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, refs = plan_with_people
    workbook = load_workbook(_export(path, tmp_path / "MK.xlsx"))
    line = next(row for row in _lines(workbook["Nominations"], refs[1])[1:] if row[2].value)
    line[2].value, line[3].value, line[4].value = "Петар Петровски", "Petar Petrovski", None
    workbook.save(tmp_path / "replaced.xlsx")
    preview = _preview(path, tmp_path / "replaced.xlsx")
    assert [(c.kind, c.was, c.now) for c in preview.changes] == [
        ("Status", "nominated", "withdrawn"),
        ("New nominee", "", "nominated, " + str(line[5].value)),
    ]
    with open_plan(path) as plan, plan.session() as session:
        apply_reply(session, tmp_path / "replaced.xlsx", [c.key for c in preview.changes])
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        names = set(s.scalars(select(Trainee.name)))
    assert {"Ѓорѓи Трајковски", "Петар Петровски"} <= names  # the lieutenant keeps his name


def test_a_reply_to_another_period_is_not_stale(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, refs = plan_with_people
    filled = _fill(_export(path, tmp_path / "Q1.xlsx"), tmp_path / "Q1 back.xlsx", refs)
    with open_plan(path) as plan:  # the next quarter, other events
        export_plan(
            plan,
            ExportRequest(
                tmp_path / "Q2.xlsx",
                partner="MK",
                date_from=date(2027, 4, 1),
                date_to=date(2027, 6, 30),
            ),
        )
    preview = _preview(path, filled)
    # The answers on the first quarter's events stand; an event running into the
    # second quarter went out again then and is answered in that file.
    assert len(preview.changes) == 4
    assert all("sent again in a newer release" in n.message for n in preview.notes)


def test_a_name_cleared_is_said_not_emptied(
    plan_with_people: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, refs = plan_with_people
    workbook = load_workbook(_export(path, tmp_path / "MK.xlsx"))
    line = next(row for row in _lines(workbook["Nominations"], refs[1])[1:] if row[2].value)
    line[2].value, line[4].value = None, "капетан"  # the name in Cyrillic gone; promoted
    workbook.save(tmp_path / "cleared name.xlsx")
    preview = _preview(path, tmp_path / "cleared name.xlsx")
    assert [(c.kind, c.was, c.now) for c in preview.changes] == [
        ("Details", "rank поручник", "капетан")
    ]
    assert ["cannot be emptied" in n.message for n in preview.notes] == [True]
    with open_plan(path) as plan, plan.session() as session:
        apply_reply(session, tmp_path / "cleared name.xlsx", [c.key for c in preview.changes])
    assert "Ѓорѓи Трајковски" in _people(path)
