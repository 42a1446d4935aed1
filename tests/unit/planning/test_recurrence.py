"""Recurrence rules against dates worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduler.errors import UserError
from scheduler.planning.recurrence import (
    Occurrence,
    Override,
    RecurrenceError,
    Series,
    describe,
    expand,
    occurrence_starts,
    parse_rule,
    rrule_text,
    to_rrule,
    validate_exdates,
)
from scheduler.planning.workdays import WorkingCalendar

JAN = datetime(2027, 1, 1)
YEAR_END = datetime(2027, 12, 31, 23, 59)


def days(text: str, start: datetime = JAN, last: datetime = YEAR_END) -> list[date]:
    return [d.date() for d in occurrence_starts(text, start, start, last)]


def test_first_monday_of_each_month() -> None:
    assert days("FREQ=MONTHLY;BYDAY=1MO;COUNT=6", datetime(2027, 1, 1, 9)) == [
        date(2027, 1, 4),
        date(2027, 2, 1),
        date(2027, 3, 1),
        date(2027, 4, 5),
        date(2027, 5, 3),
        date(2027, 6, 7),
    ]


def test_last_weekday_of_the_month_with_bysetpos() -> None:
    assert days("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=5") == [
        date(2027, 1, 29),  # Friday
        date(2027, 2, 26),  # Friday
        date(2027, 3, 31),  # Wednesday
        date(2027, 4, 30),  # Friday
        date(2027, 5, 31),  # Monday
    ]


def test_the_31st_skips_short_months_and_minus_one_is_the_last_day() -> None:
    assert days("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=4", datetime(2027, 1, 31)) == [
        date(2027, 1, 31),
        date(2027, 3, 31),
        date(2027, 5, 31),
        date(2027, 7, 31),
    ]
    assert days(
        "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3", datetime(2028, 1, 31), datetime(2028, 12, 31)
    ) == [
        date(2028, 1, 31),
        date(2028, 2, 29),  # leap year
        date(2028, 3, 31),
    ]


def test_every_second_week_on_two_days_until_a_date() -> None:
    assert days("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270204", datetime(2027, 1, 5)) == [
        date(2027, 1, 5),
        date(2027, 1, 7),
        date(2027, 1, 19),
        date(2027, 1, 21),
        date(2027, 2, 2),
        date(2027, 2, 4),  # UNTIL as a date includes that whole day
    ]


def test_daily_interval_and_count() -> None:
    assert days("FREQ=DAILY;INTERVAL=3;COUNT=4", datetime(2027, 2, 25)) == [
        date(2027, 2, 25),
        date(2027, 2, 28),
        date(2027, 3, 3),
        date(2027, 3, 6),
    ]


def test_wall_time_is_kept_across_daylight_saving_changes() -> None:
    # Europe/Skopje moves to summer time on Sunday 28 March 2027.
    skopje = ZoneInfo("Europe/Skopje")
    start = datetime(2027, 3, 24, 9, 0, tzinfo=skopje)
    rule = to_rrule("FREQ=WEEKLY;COUNT=3", start)
    found = list(rule)
    assert [d.strftime("%Y-%m-%d %H:%M") for d in found] == [
        "2027-03-24 09:00",
        "2027-03-31 09:00",
        "2027-04-07 09:00",
    ]
    assert [d.astimezone(UTC).hour for d in found] == [8, 7, 7]

    naive = occurrence_starts(
        "FREQ=DAILY;COUNT=3", datetime(2027, 10, 30, 8, 30), JAN, YEAR_END
    )  # clocks go back on 31 October
    assert [d.time() for d in naive] == [time(8, 30)] * 3


def test_until_in_utc_with_a_zoned_start() -> None:
    skopje = ZoneInfo("Europe/Skopje")
    start = datetime(2027, 6, 1, 9, 0, tzinfo=skopje)
    rule = to_rrule("FREQ=DAILY;UNTIL=20270603T070000Z", start)
    assert [d.day for d in rule] == [1, 2, 3]
    # The same UNTIL with a naive (wall-time) start is read as UTC -> naive.
    naive_rule = to_rrule("FREQ=DAILY;UNTIL=20270603T070000Z", datetime(2027, 6, 1, 9))
    assert [d.day for d in naive_rule] == [1, 2]


def test_text_round_trip() -> None:
    for text in [
        "FREQ=MONTHLY;BYDAY=1MO;COUNT=6",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20271231",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=DAILY",
    ]:
        assert parse_rule(text).to_text() == text
    assert parse_rule("rrule:freq=weekly;byday=we").to_text() == "FREQ=WEEKLY;BYDAY=WE"
    rule = to_rrule("FREQ=MONTHLY;BYDAY=-1FR;COUNT=2", datetime(2027, 1, 1, 9))
    assert rrule_text(rule) == "FREQ=MONTHLY;BYDAY=-1FR;COUNT=2"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("FREQ=HOURLY", "hourly is not supported"),
        ("FREQ=WEEKLY;BYDAY=XX", "“XX” is not a day"),
        ("FREQ=DAILY;COUNT=2;UNTIL=20270101", "COUNT or UNTIL, not both"),
        ("BYDAY=MO", "needs FREQ"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL must be 1 to 999"),
        ("FREQ=DAILY;INTERVAL=two", "whole number"),
        ("FREQ=WEEKLY;BYDAY=1MO", "needs FREQ=MONTHLY"),
        ("FREQ=MONTHLY;BYDAY=6MO", "no weekday number 6"),
        ("FREQ=DAILY;UNTIL=2027-12-31", "not a date like"),
        ("FREQ=DAILY;FREQ=WEEKLY", "given twice"),
        ("FREQ=DAILY;BYHOUR=9", "BYHOUR is not supported"),
        ("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS needs BYDAY"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY must be 1 to 31 or -1 to -31"),
        ("FREQ", "NAME=VALUE"),
        ("  ", "empty"),
    ],
)
def test_bad_rules_give_clear_errors(text: str, words: str) -> None:
    with pytest.raises(RecurrenceError, match=words) as info:
        parse_rule(text)
    assert isinstance(info.value, UserError)


def test_descriptions() -> None:
    assert describe("FREQ=MONTHLY;BYDAY=1MO;COUNT=6") == "Monthly on the first Monday, 6 times"
    assert describe("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1") == (
        "Monthly on the last weekday"
    )
    assert describe("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20271231") == (
        "Every 2 weeks on Tuesday and Thursday, until 31 Dec 2027"
    )
    assert describe("FREQ=MONTHLY;BYMONTHDAY=-1") == "Monthly on the last day"
    assert describe("FREQ=MONTHLY;BYMONTHDAY=22") == "Monthly on the 22nd"
    assert describe("FREQ=DAILY;COUNT=1") == "Daily, once"


# -- expansion ---------------------------------------------------------------


def weekly() -> Series:
    return Series("FREQ=WEEKLY;BYDAY=WE", datetime(2027, 1, 6, 9), timedelta(hours=3))


def test_expansion_is_limited_to_the_window() -> None:
    found = expand(weekly(), datetime(2027, 2, 1), datetime(2027, 2, 28))
    assert [o.start.date() for o in found] == [
        date(2027, 2, 3),
        date(2027, 2, 10),
        date(2027, 2, 17),
        date(2027, 2, 24),
    ]
    assert found[0] == Occurrence(
        datetime(2027, 2, 3, 9), datetime(2027, 2, 3, 9), datetime(2027, 2, 3, 12)
    )


def test_an_occurrence_that_started_before_the_window_reaches_into_it() -> None:
    found = expand(weekly(), datetime(2027, 2, 3, 11), datetime(2027, 2, 3, 23))
    assert [o.start for o in found] == [datetime(2027, 2, 3, 9)]
    assert expand(weekly(), datetime(2027, 2, 3, 12), datetime(2027, 2, 3, 23)) == []


def test_exception_dates_and_days() -> None:
    series = replace_series(
        weekly(), exdates=(datetime(2027, 2, 10, 9), date(2027, 2, 17), datetime(2027, 2, 24, 10))
    )
    found = expand(series, datetime(2027, 2, 1), datetime(2027, 2, 28))
    assert [o.start.day for o in found] == [3, 24]  # 24th: the exdate's time does not match


def test_overrides_move_and_cancel() -> None:
    series = replace_series(
        weekly(),
        overrides=(
            Override(
                datetime(2027, 2, 10, 9), datetime(2027, 2, 11, 13), datetime(2027, 2, 11, 16)
            ),
            Override(datetime(2027, 2, 17, 9), cancelled=True),
            # Moved from January into the window: included.
            Override(datetime(2027, 1, 27, 9), datetime(2027, 2, 26, 9)),
            # Not an occurrence of the rule at all: ignored.
            Override(datetime(2027, 2, 18, 9), datetime(2027, 2, 18, 9)),
        ),
    )
    found = expand(series, datetime(2027, 2, 1), datetime(2027, 2, 28))
    assert [(o.start, o.is_override) for o in found] == [
        (datetime(2027, 2, 3, 9), False),
        (datetime(2027, 2, 11, 13), True),
        (datetime(2027, 2, 24, 9), False),
        (datetime(2027, 2, 26, 9), True),
    ]
    assert found[1].end == datetime(2027, 2, 11, 16)
    assert found[3].end == datetime(2027, 2, 26, 12)  # keeps the series' length
    with_cancelled = expand(
        series, datetime(2027, 2, 1), datetime(2027, 2, 28), include_cancelled=True
    )
    assert [o.start.day for o in with_cancelled if o.cancelled] == [17]
    # Moved out of the window: gone from it.
    assert [o.start.day for o in expand(series, datetime(2027, 2, 10), datetime(2027, 2, 11))] == []


def test_endless_rule_costs_only_the_window() -> None:
    series = Series("FREQ=DAILY", datetime(2027, 1, 1, 9))
    found = expand(series, datetime(2040, 1, 1), datetime(2040, 1, 3))
    assert [o.start.date() for o in found] == [date(2040, 1, 1), date(2040, 1, 2)]


def test_working_day_length_from_a_calendar() -> None:
    calendar = WorkingCalendar("MK")

    def ends(start: datetime) -> datetime:
        return datetime.combine(calendar.end_date(start.date(), 3), time(16))

    series = Series("FREQ=MONTHLY;BYDAY=1TH", datetime(2027, 9, 2, 9), end_of=ends)
    found = expand(series, datetime(2027, 9, 1), datetime(2027, 10, 31))
    # 2 Sep (Thu) + Fri + Mon; 7 Oct (Thu) + Fri + Mon 11 Oct is a holiday -> Tue 12 Oct.
    assert [(o.start.date(), o.end.date()) for o in found] == [
        (date(2027, 9, 2), date(2027, 9, 6)),
        (date(2027, 10, 7), date(2027, 10, 12)),
    ]


def test_exdates_from_stored_text() -> None:
    assert validate_exdates(["2027-02-10", "2027-02-17T09:00:00"]) == (
        date(2027, 2, 10),
        datetime(2027, 2, 17, 9),
    )
    with pytest.raises(RecurrenceError):
        validate_exdates(["10/02/2027"])


def replace_series(series: Series, **changes: object) -> Series:
    from dataclasses import replace

    return replace(series, **changes)  # type: ignore[arg-type]
