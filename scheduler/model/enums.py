"""Closed vocabularies of the plan, stored as their lowercase text values."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Enum


class EventStatus(StrEnum):
    DRAFT = "draft"
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class EnrolmentStatus(StrEnum):
    """Where a named trainee stands on one event: nominated by the partner,
    confirmed by the cell, then the outcome once it has run."""

    NOMINATED = "nominated"
    CONFIRMED = "confirmed"
    ATTENDED = "attended"
    PASSED = "passed"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return self.value.replace("_", "-").capitalize()


class InstructorRole(StrEnum):
    INSTRUCTOR = "instructor"
    INTERPRETER = "interpreter"
    SUPPORT = "support"


class UnitKind(StrEnum):
    BRIGADE = "brigade"
    BATTALION = "battalion"
    COMPANY = "company"
    PLATOON = "platoon"
    SECTION = "section"
    DIRECTORATE = "directorate"
    REGIONAL_CENTRE = "regional_centre"
    BORDER_UNIT = "border_unit"
    ACADEMY = "academy"
    MINISTRY = "ministry"


class AbsenceKind(StrEnum):
    LEAVE = "leave"
    DEPLOYMENT = "deployment"
    TRAVEL = "travel"
    TRAINING = "training"
    OTHER = "other"


class KitKind(StrEnum):
    EQUIPMENT = "equipment"
    VEHICLE = "vehicle"
    SIMULATOR = "simulator"
    RANGE = "range"


class WorkloadPeriod(StrEnum):
    """The period over which an instructor's maximum training days apply."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class CourseKind(StrEnum):
    """A course trains people (it counts toward requirements); an exercise
    trains units at their collective tasks (units take part, without seats)."""

    COURSE = "course"
    EXERCISE = "exercise"


class ProviderKind(StrEnum):
    """Who delivers training to a partner besides the cell."""

    UK_GOVERNMENT = "uk_government"
    NATION = "nation"
    NATO = "nato"
    EU = "eu"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PROVIDER_KIND_LABELS[self]


PROVIDER_KIND_LABELS = {
    ProviderKind.UK_GOVERNMENT: "UK department or agency",
    ProviderKind.NATION: "Another nation",
    ProviderKind.NATO: "NATO",
    ProviderKind.EU: "EU",
    ProviderKind.OTHER: "Other",
}


class MilestoneKind(StrEnum):
    """The evaluations of NATO's Operational Capabilities Concept evaluation and
    feedback programme, by which a unit is declared ready."""

    SEL1 = "sel1"
    SEL2 = "sel2"
    NEL1 = "nel1"
    NEL2 = "nel2"

    @property
    def label(self) -> str:
        return MILESTONE_KIND_LABELS[self]


MILESTONE_KIND_LABELS = {
    MilestoneKind.SEL1: "Self-evaluation level 1",
    MilestoneKind.SEL2: "Self-evaluation level 2",
    MilestoneKind.NEL1: "NATO evaluation level 1",
    MilestoneKind.NEL2: "NATO evaluation level 2",
}


class MilestoneResult(StrEnum):
    PENDING = "pending"
    READY = "ready"
    READY_WITH_COMMENTS = "ready_with_comments"
    NOT_READY = "not_ready"


class TaskRating(StrEnum):
    """A collective task's proficiency, as evaluations rate it."""

    UNTRAINED = "untrained"
    NEEDS_PRACTICE = "needs_practice"
    TRAINED = "trained"


class CostKind(StrEnum):
    TRAVEL = "travel"
    ACCOMMODATION = "accommodation"
    INTERPRETERS = "interpreters"
    VENUE = "venue"
    KIT = "kit"
    OTHER = "other"


def enum_column(enum_cls: type[StrEnum]) -> Any:
    """A portable string column holding ``enum_cls`` values (no native DB enum).

    Native PostgreSQL enums need migrations for every new value; a VARCHAR
    keeps SQLite and PostgreSQL schemas identical.
    """
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=24,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
