"""The iCalendar export parsed by icalendar, expanded, and compared with the Schedule."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from dateutil.rrule import rrulestr
from icalendar import Calendar
from openpyxl import load_workbook

from scheduler.services.exports import ExportRequest, export_plan
from scheduler.storage import PlanAccess, open_plan


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None)


def expand(path: Path) -> list[tuple[datetime, datetime, str]]:
    """(start, end, summary) of every occurrence, in the venue's wall time."""
    calendar = Calendar.from_ical(path.read_bytes())
    masters: dict[str, object] = {}
    overrides: dict[str, dict[datetime, object]] = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        if "RECURRENCE-ID" in event:
            overrides.setdefault(uid, {})[_naive(event["RECURRENCE-ID"].dt)] = event
        else:
            masters[uid] = event
    found = []
    for uid, event in masters.items():
        start = event["DTSTART"].dt  # type: ignore[index]
        length = event["DTEND"].dt - start  # type: ignore[index]
        if "RRULE" in event:  # type: ignore[operator]
            rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)  # type: ignore[index]
            exdates: set[datetime] = set()
            listed = event.get("EXDATE")  # type: ignore[attr-defined]
            for item in listed if isinstance(listed, list) else [listed] if listed else []:
                exdates.update(_naive(d.dt) for d in item.dts)
            moments = [_naive(m) for m in rule if _naive(m) not in exdates]
        else:
            moments = [_naive(start)]
        for moment in moments:
            override = overrides.get(uid, {}).get(moment)
            if override is not None:
                found.append(
                    (
                        _naive(override["DTSTART"].dt),
                        _naive(override["DTEND"].dt),  # type: ignore[index]
                        str(override["SUMMARY"]),
                    )  # type: ignore[index]
                )
            else:
                found.append((moment, moment + length, str(event["SUMMARY"])))  # type: ignore[index]
    for uid in overrides:
        assert uid in masters, f"override without a series: {uid}"
    return sorted(found)


def _schedule(path: Path) -> list[tuple[datetime, datetime, str]]:
    ws = load_workbook(path)["Schedule"]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(title).split("\n")[0] for title in rows[0]]  # English, over the partner's
    s, e, c, t = (header.index(n) for n in ("Start", "End", "Course code", "Course title"))
    return sorted((r[s], r[e], f"{r[c]} {r[t]}") for r in rows[1:])


def test_master_calendar_matches_schedule(demo_plan_path: Path, tmp_path: Path) -> None:
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan:
        export_plan(plan, ExportRequest(tmp_path / "all.ics"))
        export_plan(plan, ExportRequest(tmp_path / "all.xlsx"))
    text = (tmp_path / "all.ics").read_text(encoding="utf-8")
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Skopje" in text
    assert "RRULE:" in text and "EXDATE" in text
    assert expand(tmp_path / "all.ics") == _schedule(tmp_path / "all.xlsx")


def test_partner_calendar_matches_partner_schedule_and_keeps_uids(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    with open_plan(demo_plan_path) as plan:
        export_plan(plan, ExportRequest(tmp_path / "mk.ics", partner="MK"))
        export_plan(plan, ExportRequest(tmp_path / "mk.xlsx", partner="MK"))
        export_plan(plan, ExportRequest(tmp_path / "mk2.ics", partner="MK"))
    assert expand(tmp_path / "mk.ics") == _schedule(tmp_path / "mk.xlsx")
    text = (tmp_path / "mk.ics").read_text(encoding="utf-8")
    assert "INTERNAL" not in text and "RELEASABLE TO MKD" in text

    def uids(path: Path) -> set[str]:
        return {str(e["UID"]) for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}

    assert uids(tmp_path / "mk.ics") == uids(tmp_path / "mk2.ics")


def test_instructor_and_venue_calendars(demo_plan_path: Path, tmp_path: Path) -> None:
    from sqlalchemy import select

    from scheduler.model import Instructor, Venue

    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan:
        with plan.session() as session:
            person = session.scalars(select(Instructor.name).order_by(Instructor.id)).first()
            venue = session.scalars(select(Venue.name).order_by(Venue.id)).first()
        assert person and venue
        a = export_plan(plan, ExportRequest(tmp_path / "p.ics", instructor=person))
        b = export_plan(plan, ExportRequest(tmp_path / "v.ics", venue=venue.upper()))
    assert a.events == len(expand(tmp_path / "p.ics"))
    assert b.events == len(expand(tmp_path / "v.ics"))
