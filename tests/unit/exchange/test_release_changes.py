from __future__ import annotations

from datetime import date

from scheduler.exchange.release_changes import (
    ADDED,
    CANCELLED,
    CHANGED,
    MOVED,
    WITHDRAWN,
    changes_since,
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
