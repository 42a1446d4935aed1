"""Validation keys in the words a planner sees on the form."""

from __future__ import annotations

from scheduler.services.entity_specs import field_label, spec_for


def test_keys_become_the_forms_labels() -> None:
    event = spec_for("event")
    assert field_label(event, "attended") == "Attended"
    assert field_label(event, "audience[0].seats") == "Audience, row 1, Seats"
    assert field_label(event, "instructors[2].role").endswith("row 3, Role")
    assert field_label(event, "unknown") == "unknown"  # never worse than the key
