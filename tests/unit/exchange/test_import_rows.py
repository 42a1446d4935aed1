from __future__ import annotations

from datetime import date, datetime

from scheduler.exchange.import_rows import WARNING, Problem, parse_sheet
from scheduler.exchange.import_values import parse_date_text
from scheduler.exchange.untrusted import RawSheet


def test_dates_in_the_forms_planners_type() -> None:
    assert parse_date_text("2027-03-01") == (date(2027, 3, 1), None)
    assert parse_date_text("01.03.2027 08:30")[0] == date(2027, 3, 1)
    assert parse_date_text("2027-03-01T08:30")[1] is not None


def test_headers_match_loosely_and_unknown_columns_warn() -> None:
    raw = RawSheet(
        " events ",
        [
            (1, ("Fill in one event per row", None, None, None, None)),
            (2, ("  REF ", "course", "Start", " end", "Colour")),
            (3, ("MK-2027-001", "SCC", datetime(2027, 3, 1, 8, 30), "2027-03-05", "red")),
            (4, (None, None, None, None, None)),
            (5, ("MK-2027-002", "SCC", "not a date", "2027-03-05 16:00", None)),
        ],
    )
    problems: list[Problem] = []
    parsed = parse_sheet(raw, problems)
    assert parsed is not None and parsed.spec.name == "Events"
    assert [r.number for r in parsed.rows] == [3, 5]
    assert parsed.rows[0].values["end"] == datetime(2027, 3, 5, 17, 0)
    assert any(p.severity == WARNING and p.column == "Colour" for p in problems)
    bad = [p for p in problems if p.severity != WARNING]
    assert len(bad) == 1 and (bad[0].row, bad[0].column) == (5, "Start")
    assert "Events, row 5, column Start" in str(bad[0])


def test_missing_required_column_is_an_error() -> None:
    raw = RawSheet("Units", [(1, ("Code", "Name")), (2, ("MK-X", "Unit"))])
    problems: list[Problem] = []
    parse_sheet(raw, problems)
    assert [(p.column, p.message) for p in problems] == [("Nation", "required column is missing")]
