"""One cell as typed -> the value it means, or a refusal that says what is accepted."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from scheduler.exchange import import_schema as schema
from scheduler.exchange.import_values import (
    CellError,
    parse_date_text,
    read_cell,
    read_date,
    read_datetime,
    split_role,
)
from scheduler.exchange.untrusted import format_has_time


def _field(sheet: schema.SheetSpec, key: str) -> schema.Field:
    return sheet.field(key)


@pytest.mark.parametrize(
    ("text", "day", "moment"),
    [
        ("2027-06-30", date(2027, 6, 30), None),
        ("30.06.2027", date(2027, 6, 30), None),
        ("30.06.2027.", date(2027, 6, 30), None),
        ("30/06/2027", date(2027, 6, 30), None),
        ("7/6/2027", date(2027, 6, 7), None),
        ("2027-06-30 08:30", date(2027, 6, 30), time(8, 30)),
        ("2027-06-30T08:30:15", date(2027, 6, 30), time(8, 30, 15)),
        ("30/06/2027 17:00", date(2027, 6, 30), time(17, 0)),
    ],
)
def test_dates_in_every_form_the_instructions_name(
    text: str, day: date, moment: time | None
) -> None:
    assert parse_date_text(text) == (day, moment)


@pytest.mark.parametrize("text", ["06/30/2027", "30-06-2027", "soon", "2027-13-01", "30/06/27"])
def test_what_is_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(CellError, match="is not a date"):
        read_date(text)


def test_a_date_column_refuses_a_time_but_takes_midnight() -> None:
    assert read_date(datetime(2027, 6, 30)) == date(2027, 6, 30)
    assert read_date("30/06/2027 00:00") == date(2027, 6, 30)
    with pytest.raises(CellError, match="has a time"):
        read_date(datetime(2027, 6, 30, 14, 0))
    with pytest.raises(CellError, match="is a number"):
        read_date(46568)


def test_a_date_without_a_time_gets_the_documented_time() -> None:
    start, end = schema.EVENTS.field("start"), schema.EVENTS.field("end")
    assert read_cell(start, date(2027, 6, 7)) == datetime(2027, 6, 7, 9, 0)
    assert read_cell(end, date(2027, 6, 7)) == datetime(2027, 6, 7, 17, 0)
    assert read_cell(end, "07/06/2027") == datetime(2027, 6, 7, 17, 0)
    # A date-and-time cell holds its time, midnight included; float dust is rounded.
    assert read_cell(end, datetime(2027, 6, 8)) == datetime(2027, 6, 8)
    assert read_datetime(datetime(2027, 6, 8, 8, 29, 59, 999_000), time(9)) == datetime(
        2027, 6, 8, 8, 30
    )


def test_numbers() -> None:
    days = schema.COURSES.field("duration_days")
    hours = schema.COURSES.field("daily_hours")
    assert read_cell(days, 5.0) == 5 and read_cell(days, "5") == 5 and read_cell(days, "5,0") == 5
    assert read_cell(hours, "3,5") == 3.5 and read_cell(hours, "7") == 7.0
    with pytest.raises(CellError, match="whole number"):
        read_cell(days, "2.5")
    with pytest.raises(CellError, match="whole number"):
        read_cell(days, True)


def test_yes_no_and_choices() -> None:
    releasable = schema.INSTRUCTORS.field("releasable")
    assert read_cell(releasable, "Yes") is True and read_cell(releasable, False) is False
    with pytest.raises(CellError, match="neither yes nor no"):
        read_cell(releasable, "maybe")
    kind = schema.UNITS.field("kind")
    assert read_cell(kind, "Regional centre") == "regional_centre"
    assert read_cell(kind, "border_unit") == "border_unit"
    with pytest.raises(CellError, match="battalion, company"):
        read_cell(kind, "regiment")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("en", "en"),
        ("English", "en"),
        ("MACEDONIAN", "mk"),
        ("македонски", "mk"),
        ("Shqip", "sq"),
        ("srpski", "sr"),
        ("српски", "sr"),
        ("bosanski", "bs"),
        ("Montenegrin", "cnr"),
        ("crnogorski", "cnr"),
        ("hrvatski", "hr"),
    ],
)
def test_languages_by_code_or_name(typed: str, code: str) -> None:
    assert read_cell(schema.COURSES.field("language"), typed) == code


def test_languages_in_a_list_and_a_refusal() -> None:
    field = schema.INSTRUCTORS.field("languages")
    assert read_cell(field, "English; shqip;mk") == ["en", "sq", "mk"]
    with pytest.raises(CellError, match=r"Klingon.*en, English"):
        read_cell(field, "English; Klingon")


def test_units_need_their_seats() -> None:
    field = schema.EVENTS.field("units")
    assert read_cell(field, "MK-1BN:12; AL:RC:4") == [("MK-1BN", 12), ("AL:RC", 4)]
    with pytest.raises(CellError, match=r"no seats.*MK-1BN:12"):
        read_cell(field, "MK-1BN")
    assert read_cell(field, "MK-1BN:0") == [("MK-1BN", 0)]  # an exercise's unit (see events)
    with pytest.raises(CellError, match="not a whole number"):
        read_cell(field, "MK-1BN:-2")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ëlira Çela", ("Ëlira Çela", None)),
        ("Ëlira Çela (interpreter)", ("Ëlira Çela", "interpreter")),
        ("Ëlira Çela (Interpreter)", ("Ëlira Çela", "interpreter")),
        ("Ëlira Çela:support", ("Ëlira Çela", "support")),
        ("Ana (Tirana)", ("Ana (Tirana)", None)),
    ],
)
def test_staff_roles(typed: str, expected: tuple[str, str | None]) -> None:
    assert split_role(typed) == expected


def test_held_qualifications() -> None:
    field = schema.INSTRUCTORS.field("qualifications")
    assert read_cell(field, "CFA; DFD:30/06/2028; FA:2028-06-30:01.07.2025; X::2025-07-01") == [
        ("CFA", None, None),
        ("DFD", date(2028, 6, 30), None),
        ("FA", date(2028, 6, 30), date(2025, 7, 1)),
        ("X", None, date(2025, 7, 1)),
    ]
    with pytest.raises(CellError, match="expiry “31/02/2028” of CFA"):
        read_cell(field, "CFA:31/02/2028")


def test_exceptions_keep_the_form_they_are_stored_in() -> None:
    field = schema.SERIES.field("exceptions")
    assert read_cell(field, "2027-09-21T09:00:00; 2027-09-28") == [
        datetime(2027, 9, 21, 9),
        date(2027, 9, 28),
    ]


def test_uids_are_kept_in_the_plan_s_form() -> None:
    field = schema.EVENTS.field("uid")
    assert read_cell(field, "5F71C91E-A2CF-4E26-8916-84EFE059A73F") == (
        "5f71c91e-a2cf-4e26-8916-84efe059a73f"
    )
    with pytest.raises(CellError, match="not a UID"):
        read_cell(field, "5f71c91e")


def test_text_is_kept_whole_or_refused() -> None:
    notes = schema.EVENTS.field("notes")
    assert read_cell(notes, "=SUM(A1)\r\nline two") == "=SUM(A1)\nline two"
    assert read_cell(notes, "x" * 32_767) == "x" * 32_767
    with pytest.raises(CellError, match="32,768 characters long"):
        read_cell(notes, "x" * 32_768)
    with pytest.raises(CellError, match="at most 32 fit"):
        read_cell(schema.COURSES.field("code"), "C" * 33)


@pytest.mark.parametrize(
    ("number_format", "has_time"),
    [
        ("yyyy-mm-dd hh:mm", True),
        ("yyyy-mm-dd h:mm:ss", True),
        ("dd/mm/yyyy", False),
        ("mm-dd-yy", False),
        ("d-mmm-yy", False),
        ("YYYY\\-MM\\-DD", False),
        ("YYYY\\-MM\\-DD\\ HH:MM", True),
        ('"at" dd/mm/yyyy', False),
        ('"h" dd/mm', False),
        ("[$-409]h:mm AM/PM", True),
        ("[h]:mm", True),
        ("[Red]dd/mm/yyyy", False),
        ("dd/mm/yyyy;@", False),
    ],
)
def test_which_number_formats_show_a_time(number_format: str, has_time: bool) -> None:
    assert format_has_time(number_format) is has_time
