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
