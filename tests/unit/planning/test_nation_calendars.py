"""Each nation's working week and each venue's holiday region, as the checks see them."""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from scheduler.planning.engine import check_plan
from scheduler.planning.holiday_regions import HOLIDAY_REGIONS
from scheduler.planning.slots import SlotFinder, SlotRequest
from scheduler.planning.weekdays import parse_weekdays, weekdays_text
from scheduler.planning.workdays import PlanCalendars
from tests.unit.planning.plan_factory import PlanFactory, d

SUNDAY_TO_THURSDAY = frozenset({6, 0, 1, 2, 3})


def test_every_region_offered_is_one_the_holiday_tables_know() -> None:
    for region in HOLIDAY_REGIONS:
        known = holidays.country_holidays(region.nation, subdiv=region.code, years=2027)
        assert known, region


@pytest.mark.parametrize(
    ("text", "days", "shown"),
    [
        ("Mon-Fri", [0, 1, 2, 3, 4], "Mon–Fri"),
        ("monday to friday", [0, 1, 2, 3, 4], "Mon–Fri"),
        ("Sun–Thu", [0, 1, 2, 3, 6], "Sun–Thu"),
        ("Mon; Wed; Fri", [0, 2, 4], "Mon; Wed; Fri"),
        ("Sat", [5], "Sat"),
        ("Mon-Sun", [0, 1, 2, 3, 4, 5, 6], "Mon–Sun"),
    ],
)
def test_a_working_week_reads_as_typed_and_shows_the_same(
    text: str, days: list[int], shown: str
) -> None:
    assert parse_weekdays(text) == days
    assert weekdays_text(days) == shown
    assert parse_weekdays(shown) == days


@pytest.mark.parametrize("text", ["Mon-Fry", "Weekdays", ";"])
def test_a_working_week_that_names_no_day_is_refused_in_words(text: str) -> None:
    with pytest.raises(ValueError, match="Mon–Fri, Sun–Thu"):
        parse_weekdays(text)


def test_a_nation_that_works_sunday_to_thursday_ends_its_courses_on_thursday() -> None:
    plan = PlanFactory()
    plan.nation("AL", "Albania", languages=("sq",), working_weekdays=SUNDAY_TO_THURSDAY)
    calendars = PlanCalendars.of_plan(plan.plan())
    # A five-day course starting on Sunday 7 November 2027.
    assert calendars.for_nation("AL").end_date(d("2027-11-07"), 5) == d("2027-11-11")
    assert calendars.for_nation("MK").end_date(d("2027-11-07"), 5) == d("2027-11-12")
    assert calendars.any_working_weekdays() == frozenset(range(7)) - {5}


def test_the_checks_count_the_plans_working_week_not_monday_to_friday() -> None:
    plan = PlanFactory()
    plan.nation("AL", "Albania", languages=("sq",), working_weekdays=SUNDAY_TO_THURSDAY)
    course = plan.course("SCC", duration_days=5, language="sq")
    venue = plan.venue("Zall-Herr", "AL")
    # Four working days a month; Sunday to Thursday is five of them in
    # Albania, where Monday to Friday would have counted four.
    teacher = plan.instructor("Arben Hoxha", nation_code="AL", max_training_days=4,
                              languages=frozenset({"sq"}))  # fmt: skip
    plan.event(course, "2027-11-07", "2027-11-11", venue=venue, staff=[teacher])
    found = check_plan(plan.plan())
    assert [c.rule for c in found] == ["instructor_workload"]
    assert "5 training days" in found[0].message

    finder = SlotFinder(plan.plan())
    slots = finder.find(
        SlotRequest(course.id, (), d("2027-11-14"), count=1, venue_ids=frozenset({venue.id}))
    )
    assert [(s.start.date(), s.end.date()) for s in slots] == [
        (date(2027, 11, 14), date(2027, 11, 18))
    ]


@pytest.mark.parametrize(
    ("region", "day", "clashes"),
    [
        ("SRP", "2027-01-14", True),  # Orthodox New Year: Republika Srpska only
        ("BIH", "2027-01-14", False),
        (None, "2027-01-14", False),
        ("BIH", "2027-03-01", True),  # Independence Day: the Federation
        ("SRP", "2027-03-01", False),
        ("BRC", "2027-03-08", True),  # the day Brčko District was established
        ("BIH", "2027-03-08", False),
    ],
)
def test_bosnia_and_herzegovinas_holidays_follow_the_venues_region(
    region: str | None, day: str, clashes: bool
) -> None:
    plan = PlanFactory()
    plan.nation("BA", "Bosnia and Herzegovina", languages=("bs", "hr", "sr"))
    course = plan.course("SCC", duration_days=1)
    venue = plan.venue("Kasarna Butmir", "BA", holiday_region=region)
    plan.event(course, day, venue=venue)
    holidays_found = [c for c in check_plan(plan.plan()) if c.rule == "public_holiday"]
    assert bool(holidays_found) is clashes
    if clashes:
        where = {"SRP": "Republika Srpska", "BIH": "Federation", "BRC": "Brčko District"}
        assert where[region or ""] in holidays_found[0].message
        assert "Bosnia and Herzegovina" in holidays_found[0].message
