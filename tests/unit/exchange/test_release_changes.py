from __future__ import annotations

from datetime import date, datetime

from scheduler.exchange.partner_language import Wording
from scheduler.exchange.release_changes import (
    ADDED,
    CANCELLED,
    CHANGED,
    MOVED,
    WITHDRAWN,
    SentRelease,
    changes_since,
    describe_releases,
    known_to_partner,
)


def entry(uuid: str, start: str = "2027-03-01T09:00", **kw: str) -> dict[str, str]:
    base = {
        "uuid": uuid,
        "ref": f"MK-2027-{uuid}",
        "course": "SCC",
        "title": "Section commanders' course",
        "start": start,
        "end": start.replace("09:00", "17:00"),
        "status": "planned",
        "venue": "Криволак",
    }
    base.update(kw)
    return base


def test_each_kind_of_change_is_listed() -> None:
    before = [entry("1"), entry("2"), entry("3"), entry("4"), entry("5")]
    now = [
        entry("1"),
        entry("2", start="2027-03-08T09:00"),
        entry("3", status="cancelled"),
        entry("5", status="confirmed"),
        entry("6"),
    ]
    kinds = {c.ref[-1]: c.kind for c in changes_since(before, now)}
    assert kinds == {"6": ADDED, "2": MOVED, "3": CANCELLED, "4": WITHDRAWN, "5": CHANGED}


def test_outside_the_period_is_not_withdrawn() -> None:
    before = [entry("1", start="2026-01-05T09:00")]
    assert changes_since(before, [], first=date(2027, 1, 1), last=date(2027, 12, 31)) == []


def test_the_partner_holds_each_event_as_the_last_release_that_included_it() -> None:
    jan, may, sep = (
        entry("1", "2027-01-11T09:00"),
        entry("2", "2027-05-10T09:00"),
        entry("3", "2027-09-06T09:00"),
    )
    full = SentRelease(datetime(2026, 12, 1), None, None, [jan, may, sep])
    moved_may = entry("2", "2027-05-17T09:00")
    quarter = SentRelease(datetime(2027, 1, 5), date(2027, 4, 1), date(2027, 6, 30), [moved_may])
    held = {e["uuid"]: e for e in known_to_partner([full, quarter])}
    assert held == {"1": jan, "2": moved_may, "3": sep}  # outside the quarter: as sent before
    # A quarter release that leaves out an event of that quarter withdrew it.
    empty_quarter = SentRelease(datetime(2027, 2, 1), date(2027, 4, 1), date(2027, 6, 30), [])
    assert {e["uuid"] for e in known_to_partner([full, quarter, empty_quarter])} == {"1", "3"}
    # And the next full release compares with all that: one change, not three "new".
    now = [jan, moved_may, entry("3", "2027-09-06T09:00", status="cancelled")]
    changes = changes_since(known_to_partner([full, quarter]), now)
    assert [(c.kind, c.ref) for c in changes] == [(CANCELLED, "MK-2027-3")]


def test_the_releases_compared_are_named_in_the_partners_language_too() -> None:
    periods = [
        (datetime(2027, 1, 5, 9), None, None),
        (datetime(2027, 2, 1, 9), date(2027, 4, 1), date(2027, 6, 30)),
    ]
    assert describe_releases(periods) == (
        "the releases of 2027-01-05 (all dates) and 2027-02-01 (2027-04-01 to 2027-06-30)"
    )
    assert describe_releases(periods, Wording("mk")) == (
        "изданијата од 2027-01-05 (сите датуми) и 2027-02-01 (2027-04-01 до 2027-06-30)"
    )
    assert describe_releases(periods[:1], Wording("sr-Latn")) == (
        "izdanja od 2027-01-05 (svi datumi)"
    )
