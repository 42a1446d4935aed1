"""Creating, editing, deleting and restoring records through their specs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from scheduler.errors import UserError
from scheduler.model import Instructor, Nation, Qualification
from scheduler.services import records
from scheduler.services.entity_specs import spec_for
from scheduler.storage import open_plan

INSTRUCTOR = spec_for("instructor")
QUALIFICATION = spec_for("qualification")
COURSE = spec_for("course")


def _nation(session: object, code: str) -> str:
    return session.scalar(select(Nation.uuid).where(Nation.code == code))  # type: ignore[attr-defined,no-any-return]


def test_create_edit_delete_restore_an_instructor_with_children(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan:
        with plan.session() as session:
            cfa = records.create(
                session, QUALIFICATION, {"code": "CFA-I", "name": "First aid instructor"}
            ).uuid
            saved = records.create(
                session,
                INSTRUCTOR,
                {
                    "name": "Ëlira Çela",
                    "nation": _nation(session, "AL"),
                    "role": "instructor",
                    "languages": "sq; en",
                    "max_training_days": "12",
                    "workload_period": "month",
                    "releasable": True,
                    "qualifications": [{"qualification": cfa, "expires_on": "2027-06-30"}],
                    "unavailability": [
                        {"start_date": "2027-08-02", "end_date": "2027-08-13", "kind": "leave"}
                    ],
                },
            )
            assert saved.changes.kinds == {"instructor"}
        with plan.session() as session:
            values = records.read_values(session, INSTRUCTOR, saved.uuid)
            assert values["languages"] == ["sq", "en"]
            assert values["qualifications"][0]["expires_on"] == date(2027, 6, 30)
            values["unavailability"][0]["end_date"] = date(2027, 8, 20)
            records.update(session, INSTRUCTOR, saved.uuid, values)
        with plan.session() as session:
            snap = records.snapshot(session, INSTRUCTOR, saved.uuid)
            records.delete(session, INSTRUCTOR, saved.uuid)
            assert session.scalars(select(Instructor)).all() == []
        with plan.session() as session:
            records.restore(session, INSTRUCTOR, snap)
        with plan.session() as session:
            back = session.scalars(select(Instructor)).one()
            assert (back.uuid, back.name) == (saved.uuid, "Ëlira Çela")
            assert back.unavailability[0].end_date == date(2027, 8, 20)
            assert back.qualifications[0].uuid == snap["qualifications"][0]["uuid"]


def test_every_problem_is_reported_next_to_its_field(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        records.create(session, QUALIFICATION, {"code": "JTAC", "name": "JTAC"})
        with pytest.raises(records.ValidationError) as caught:
            records.create(
                session,
                COURSE,
                {
                    "code": "",
                    "title": "Platoon commanders",
                    "category": "Leadership",
                    "duration_days": "ten",
                    "min_trainees": 20,
                    "max_trainees": 12,
                    "language": "en",
                    "colour": "blue",
                },
            )
        assert caught.value.problems == {
            "code": "Code is needed.",
            "duration_days": "Enter a whole number.",
            "max_trainees": "Must not be below the minimum.",
            "colour": "Use the form #RRGGBB, e.g. #1F77B4.",
        }
        with pytest.raises(records.ValidationError) as caught:
            records.create(session, QUALIFICATION, {"code": "jtac", "name": "Duplicate"})
        assert caught.value.problems == {"code": "Another qualification already has this code."}
        assert len(session.scalars(select(Qualification)).all()) == 1


def test_a_record_in_use_is_not_deleted(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        records.create(
            session,
            INSTRUCTOR,
            {
                "name": "Marko Đurić",
                "nation": _nation(session, "RS"),
                "role": "instructor",
                "workload_period": "month",
            },
        )
        with pytest.raises(UserError, match="“RS” is still used by 1 instructor\\."):
            records.delete(session, spec_for("nation"), _nation(session, "RS"))


def test_languages_typed_by_name_are_stored_as_codes(empty_plan_path: Path) -> None:
    """The editor, like the import, keeps one spelling per language: a course in
    "English" and a unit in "en" must not look like two languages."""
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        saved = records.create(
            session,
            INSTRUCTOR,
            {
                "name": "Ana Đurić",
                "role": "instructor",
                "languages": "English; српски",
                "workload_period": "month",
            },
        )
        assert records.read_values(session, INSTRUCTOR, saved.uuid)["languages"] == ["en", "sr"]
        with pytest.raises(records.ValidationError) as refused:
            records.create(
                session,
                INSTRUCTOR,
                {
                    "name": "X",
                    "role": "instructor",
                    "languages": "Klingon",
                    "workload_period": "month",
                },
            )
        assert "Klingon" in refused.value.problems["languages"]


def test_a_course_is_not_its_own_prerequisite(empty_plan_path: Path) -> None:
    from scheduler.services.records import ValidationError

    with open_plan(empty_plan_path) as plan, plan.session() as session:
        saved = records.create(
            session,
            COURSE,
            {
                "code": "SCC",
                "title": "Section commanders",
                "category": "Leadership",
                "duration_days": 5,
                "language": "en",
            },
        )
        values = records.read_values(session, COURSE, saved.uuid)
        with pytest.raises(ValidationError) as refused:
            records.update(session, COURSE, saved.uuid, {**values, "prerequisites": [saved.uuid]})
        assert refused.value.problems == {
            "prerequisites": "A course cannot be its own prerequisite."
        }


def test_a_held_qualification_expires_when_its_validity_runs_out(empty_plan_path: Path) -> None:
    """Awarded on a date with no expiry typed: the validity gives it; a typed one is kept."""
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        cfa = records.create(
            session,
            QUALIFICATION,
            {"code": "CFA-I", "name": "First aid instructor", "validity_months": 24},
        ).uuid
        saved = records.create(
            session,
            INSTRUCTOR,
            {
                "name": "Ëlira Çela",
                "nation": _nation(session, "AL"),
                "role": "instructor",
                "workload_period": "month",
                "qualifications": [
                    {"qualification": cfa, "awarded_on": "2026-01-31", "expires_on": ""}
                ],
            },
        )
        held = records.read_values(session, INSTRUCTOR, saved.uuid)["qualifications"][0]
        assert held["expires_on"] == date(2028, 1, 31)
        held["expires_on"] = date(2027, 6, 30)
        values = records.read_values(session, INSTRUCTOR, saved.uuid)
        values["qualifications"] = [held]
        records.update(session, INSTRUCTOR, saved.uuid, values)
        kept = records.read_values(session, INSTRUCTOR, saved.uuid)["qualifications"][0]
        assert kept["expires_on"] == date(2027, 6, 30)


def test_attendance_cannot_exceed_the_events_seats(demo_plan_path: Path) -> None:
    from scheduler.model import TrainingEvent
    from scheduler.services.records import ValidationError

    event_spec = spec_for("event")
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        uuid = session.scalars(select(TrainingEvent.uuid).limit(1)).one()
        values = records.read_values(session, event_spec, uuid)
        seats = sum(row["seats"] for row in values["audience"])
        with pytest.raises(ValidationError) as refused:
            records.update(session, event_spec, uuid, {**values, "attended": seats + 1})
        assert refused.value.problems["attended"].startswith(
            f"Cannot be more than the event's {seats} seats"
        )
        records.update(session, event_spec, uuid, {**values, "attended": seats, "passed": seats})
