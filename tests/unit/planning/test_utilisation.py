"""Booked days against working days, week by week, counted by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from scheduler.planning.data import ClosureData
from scheduler.planning.utilisation import (
    Booking,
    UsedResource,
    resource_use,
    utilisation,
    weeks_of,
)
from scheduler.planning.workdays import PlanCalendars

# Armistice Day, Thursday 11 November 2027, is a public holiday in Serbia.
MONDAY = date(2027, 11, 8)


def _at(day: int, hour: int = 8) -> datetime:
    return datetime(2027, 11, day, hour)


def _week(
    resource: UsedResource, bookings: list[Booking], calendars: PlanCalendars | None = None
) -> tuple[int, int, int]:
    weeks, rows = utilisation(
        [resource],
        {resource.id: bookings},
        MONDAY,
        date(2027, 11, 14),
        calendars or PlanCalendars(),
    )
    assert len(weeks) == 1
    cell = rows[0].weeks[0]
    return cell.booked, cell.available, cell.double_booked


def test_booked_monday_to_wednesday_of_a_week_with_a_thursday_holiday() -> None:
    marko = UsedResource(1, "Марко Јовановић", "RS")
    booked, available, double = _week(marko, [Booking(10, _at(8), _at(10, 16))])
    assert (booked, available, double) == (3, 4, 0)


def test_the_same_week_in_a_nation_without_the_holiday_has_five_days() -> None:
    ana = UsedResource(2, "Ana Đurić", "ME")
    assert _week(ana, [Booking(10, _at(8), _at(10, 16))]) == (3, 5, 0)


def test_leave_takes_days_off_what_is_available() -> None:
    marko = UsedResource(1, "Marko", "RS", away=((date(2027, 11, 5), date(2027, 11, 9)),))
    # Leave Friday to Tuesday: Monday and Tuesday of this week are lost.
    _weeks, rows = utilisation(
        [marko],
        {1: [Booking(10, _at(10), _at(10, 16))]},
        MONDAY,
        date(2027, 11, 14),
        PlanCalendars(),
    )
    cell = rows[0].weeks[0]
    assert (cell.booked, cell.available, cell.away) == (1, 2, 2)
    assert cell.ratio == 0.5
    assert not cell.over


def test_booked_on_leave_reads_over() -> None:
    marko = UsedResource(1, "Marko", "RS", away=((MONDAY, date(2027, 11, 12)),))
    booked, available, _double = _week(marko, [Booking(10, _at(9), _at(9, 16))])
    assert (booked, available) == (1, 0)
    _weeks, rows = utilisation(
        [marko], {1: [Booking(10, _at(9), _at(9, 16))]}, MONDAY, date(2027, 11, 14), PlanCalendars()
    )
    assert rows[0].weeks[0].over
    assert rows[0].weeks[0].ratio is None


def test_a_double_booked_day_counts_once_and_is_flagged() -> None:
    ana = UsedResource(2, "Ana", "ME")
    bookings = [
        Booking(10, _at(8), _at(10, 16)),  # Mon-Wed
        Booking(11, _at(10), _at(12, 16)),  # Wed-Fri: Wednesday twice
    ]
    assert _week(ana, bookings) == (5, 5, 1)


def test_events_on_the_same_day_that_do_not_share_time_are_not_double_booked() -> None:
    ana = UsedResource(2, "Ana", "ME")
    bookings = [Booking(10, _at(8, 8), _at(8, 12)), Booking(11, _at(8, 13), _at(8, 17))]
    assert _week(ana, bookings) == (1, 5, 0)


def test_a_venue_closure_and_a_plan_closure_day() -> None:
    range_ = UsedResource(3, "Криволак", "MK", away=((date(2027, 11, 12), date(2027, 11, 20)),))
    calendars = PlanCalendars([ClosureData(date(2027, 11, 8), "Stand-down", None)])
    # Monday is a plan closure, Friday the venue is closed: Tue-Thu remain.
    booked, available, _ = _week(range_, [Booking(10, _at(9), _at(11, 16))], calendars)
    assert (booked, available) == (3, 3)


def test_weekend_days_of_an_event_are_not_booked_working_days() -> None:
    ana = UsedResource(2, "Ana", "ME")
    # Friday to Monday of the next week: only Friday is in this week and worked.
    assert _week(ana, [Booking(10, _at(12), _at(15, 16))]) == (1, 5, 0)


def test_weeks_start_on_the_preferred_day_and_are_cut_to_the_period() -> None:
    weeks = weeks_of(date(2027, 4, 1), date(2027, 4, 30))
    assert weeks[0].start == date(2027, 3, 29)
    assert (weeks[0].first, weeks[0].last) == (date(2027, 4, 1), date(2027, 4, 4))
    assert weeks[1].label == "W14 · 5 Apr"
    assert weeks[-1].last == date(2027, 4, 30)
    sundays = weeks_of(date(2027, 4, 1), date(2027, 4, 30), week_start=6)
    assert sundays[1].start == date(2027, 4, 4)
    assert sundays[1].number == 14


def test_rows_sorted_by_name_with_totals_over_the_period() -> None:
    zoran = UsedResource(1, "Zoran", "ME")
    ana = UsedResource(2, "ana", "ME")
    weeks, rows = utilisation(
        [zoran, ana],
        {1: [Booking(10, _at(8), _at(19, 16))]},  # Mon 8 to Fri 19 Nov
        MONDAY,
        date(2027, 11, 21),
        PlanCalendars(),
    )
    assert [r.resource.name for r in rows] == ["ana", "Zoran"]
    assert [w.text for w in rows[1].weeks] == ["5/5", "5/5"]
    assert (rows[1].booked, rows[1].available, rows[1].ratio) == (10, 10, 1.0)
    assert rows[1].weeks[1].event_ids == (10,)
    assert rows[0].ratio == 0.0
    assert len(weeks) == 2


def test_an_event_starting_before_the_period_counts_only_inside_it() -> None:
    ana = UsedResource(2, "Ana", "ME")
    weeks = weeks_of(date(2027, 11, 10), date(2027, 11, 14))
    use = resource_use(ana, [Booking(10, _at(1), _at(11, 16))], weeks, bytes([1, 1, 1, 0, 0]))
    assert use.weeks[0].text == "2/3"


def test_resources_with_nothing_booked_have_their_own_calendars_weeks() -> None:
    # Idle resources share the weeks worked out once per calendar: they must
    # read as if each were worked out alone, and a busy or absent one apart.
    people = [
        UsedResource(1, "Марко", "RS"),
        UsedResource(2, "Ana", "ME"),
        UsedResource(3, "Milan", "RS"),
        UsedResource(4, "Jelena", "RS", away=((date(2027, 11, 9), date(2027, 11, 9)),)),
        UsedResource(5, "Dragan", "RS"),
    ]
    bookings = {5: [Booking(10, _at(8), _at(8, 16))]}
    first, last = MONDAY, date(2027, 11, 28)
    weeks, rows = utilisation(people, bookings, first, last, PlanCalendars())
    by_id = {row.resource.id: row.weeks for row in rows}
    assert [sum(w.available for w in by_id[n]) for n in (1, 2, 3, 4, 5)] == [14, 15, 14, 13, 14]
    assert by_id[5][0].booked == 1 and by_id[1][0].booked == 0
    calendar = PlanCalendars().for_nation("RS", None)
    mask = bytes(calendar.is_working_day(first + timedelta(days=i)) for i in range(21))
    for person in people:
        alone = resource_use(person, bookings.get(person.id, ()), weeks, mask)
        if person.nation_code == "RS":
            assert by_id[person.id] == alone.weeks
