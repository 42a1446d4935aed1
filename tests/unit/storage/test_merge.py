"""The three-way merge on hand-made records: what is taken, what is a conflict."""

from __future__ import annotations

import pytest

from scheduler.storage.merge import (
    MergeRefused,
    Reference,
    Resolution,
    Shape,
    Side,
    Versions,
    merge,
)

SHAPES = {
    "venue": Shape("venue", ("name",), {}),
    "event": Shape("event", ("ref", "outcome", "venue"), {"venue": Reference("venue", "SET NULL")}),
    "audience": Shape("audience", ("event", "seats"), {"event": Reference("event", "CASCADE")}),
    "course": Shape("course", ("code",), {}),
    "booking": Shape("booking", ("course",), {"course": Reference("course", "RESTRICT")}),
}
BASE = {"ref": "MK-2027-001", "outcome": None, "venue": "v1"}


def _event(**changes: object) -> dict[str, object]:
    return {**BASE, **changes}


def test_a_field_changed_on_one_side_takes_that_side() -> None:
    found = merge(
        SHAPES,
        {"event": {
            "e1": Versions(_event(), _event(outcome="mine"), _event()),
            "e2": Versions(_event(), _event(), _event(outcome="theirs")),
            "e3": Versions(_event(), _event(outcome="same"), _event(outcome="same")),
            "e4": Versions(_event(), _event(outcome="mine"), _event(venue="v2")),
        }},
    )  # fmt: skip
    assert found.unsettled == []
    result = found.result["event"]
    assert result["e1"] == _event(outcome="mine")
    assert result["e2"] == _event(outcome="theirs")
    assert result["e3"] == _event(outcome="same")
    assert result["e4"] == _event(outcome="mine", venue="v2")


def test_the_same_field_changed_differently_is_a_conflict_until_settled() -> None:
    versions = {"event": {"e1": Versions(_event(), _event(outcome="a"), _event(outcome="b"))}}
    found = merge(SHAPES, versions)
    [conflict] = found.unsettled
    assert (conflict.field, conflict.base, conflict.mine, conflict.theirs) == (
        "outcome",
        None,
        "a",
        "b",
    )
    assert merge(SHAPES, versions, prefer=Side.THEIRS).result["event"]["e1"]["outcome"] == "b"
    typed = Resolution(None, "c", seen=("a", "b"))
    settled = merge(SHAPES, versions, resolutions={conflict.ident: typed})
    assert settled.unsettled == [] and settled.result["event"]["e1"]["outcome"] == "c"
    # A decision taken on other values than the ones now in conflict is asked again.
    stale = Resolution(Side.MINE, seen=("a", "old"))
    assert merge(SHAPES, versions, resolutions={conflict.ident: stale}).unsettled == [conflict]


def test_added_on_one_side_or_deleted_on_one_side() -> None:
    found = merge(
        SHAPES,
        {"event": {
            "new-mine": Versions(None, _event(ref="MK-2027-002"), None),
            "new-theirs": Versions(None, None, _event(ref="MK-2027-003")),
            "gone-mine": Versions(_event(), None, _event()),
            "gone-both": Versions(_event(), None, None),
        }},
    )  # fmt: skip
    assert found.unsettled == []
    result = found.result["event"]
    assert (
        result["new-mine"]["ref"] == "MK-2027-002" and result["new-theirs"]["ref"] == "MK-2027-003"
    )
    assert result["gone-mine"] is None and result["gone-both"] is None


def test_edit_versus_delete_is_a_conflict_and_keeping_brings_back_the_children() -> None:
    versions = {
        "event": {"e1": Versions(_event(), None, _event(outcome="changed"))},
        # The file's deletion of the event took its audience with it.
        "audience": {
            "a1": Versions({"event": "e1", "seats": 4}, None, {"event": "e1", "seats": 4})
        },
    }
    found = merge(SHAPES, versions)
    [conflict] = found.unsettled
    assert conflict.field is None and conflict.deleted_by is Side.MINE
    kept = merge(SHAPES, versions, prefer=Side.THEIRS).result
    assert kept["event"]["e1"] == _event(outcome="changed")
    assert kept["audience"]["a1"] == {"event": "e1", "seats": 4}
    deleted = merge(SHAPES, versions, prefer=Side.MINE).result
    assert deleted["event"]["e1"] is None and deleted["audience"]["a1"] is None


def test_something_added_to_a_record_the_other_side_deleted_is_a_conflict() -> None:
    versions = {
        "event": {"e1": Versions(_event(), None, _event())},
        "audience": {"a2": Versions(None, None, {"event": "e1", "seats": 2})},
        "venue": {"v9": Versions({"name": "Range"}, {"name": "Range"}, None)},
        "booking": {},
    }
    versions["event"]["e2"] = Versions(_event(), _event(venue="v9"), _event())
    found = merge(SHAPES, versions)
    assert {(c.table, c.key, c.deleted_by) for c in found.unsettled} == {
        ("event", "e1", Side.MINE),
        ("venue", "v9", Side.THEIRS),
    }
    # Deleting the venue anyway empties the event's venue (as the plan would).
    result = merge(SHAPES, versions, prefer=Side.THEIRS).result
    assert result["event"]["e1"] == _event() and result["audience"]["a2"]["seats"] == 2
    assert result["venue"]["v9"] is None and result["event"]["e2"]["venue"] is None
    mine = merge(SHAPES, versions, prefer=Side.MINE).result
    assert mine["event"]["e1"] is None and mine["audience"]["a2"] is None
    assert mine["venue"]["v9"] == {"name": "Range"} and mine["event"]["e2"]["venue"] == "v9"


def test_deleting_what_a_kept_record_still_needs_is_refused() -> None:
    versions = {
        "course": {"c1": Versions({"code": "C"}, None, {"code": "C"})},
        "booking": {"b1": Versions(None, None, {"course": "c1"})},
    }
    with pytest.raises(MergeRefused):
        merge(SHAPES, versions, prefer=Side.MINE)
