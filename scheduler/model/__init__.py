"""The plan's data model (SQLAlchemy 2 typed ORM). Imports no Qt."""

from __future__ import annotations

from scheduler.model import refs as _refs  # noqa: F401  (registers the ref hook)
from scheduler.model.base import Base, Record, new_uuid, utc_now
from scheduler.model.changelog import current_user, install_change_log
from scheduler.model.delivery import EventCost, Provider
from scheduler.model.enums import (
    AbsenceKind,
    CostKind,
    CourseKind,
    EnrolmentStatus,
    EventStatus,
    InstructorRole,
    KitKind,
    MilestoneKind,
    MilestoneResult,
    ProviderKind,
    TaskRating,
    UnitKind,
    WorkloadPeriod,
)
from scheduler.model.events import (
    EventAudience,
    EventInstructor,
    EventModule,
    EventSeries,
    ModuleInstructor,
    TrainingEvent,
)
from scheduler.model.kit import CourseKit, Kit
from scheduler.model.organisation import CapabilityTarget, TrainingRequirement, Unit
from scheduler.model.readiness import CollectiveTask, EvaluationMilestone, task_course
from scheduler.model.records import ChangeLog, ConflictAcceptance, PlanMeta, Release
from scheduler.model.reference import (
    Course,
    Nation,
    Qualification,
    course_prerequisite,
    course_qualification,
)
from scheduler.model.resources import (
    ClosureDay,
    Instructor,
    InstructorQualification,
    Unavailability,
    Venue,
    VenueClosure,
)
from scheduler.model.trainees import Enrolment, PartnerResponse, Trainee, TraineePosting

__all__ = [
    "AbsenceKind",
    "Base",
    "CapabilityTarget",
    "ChangeLog",
    "ClosureDay",
    "CollectiveTask",
    "ConflictAcceptance",
    "CostKind",
    "Course",
    "CourseKind",
    "CourseKit",
    "Enrolment",
    "EnrolmentStatus",
    "EvaluationMilestone",
    "EventAudience",
    "EventCost",
    "EventInstructor",
    "EventModule",
    "EventSeries",
    "EventStatus",
    "Instructor",
    "InstructorQualification",
    "InstructorRole",
    "Kit",
    "KitKind",
    "MilestoneKind",
    "MilestoneResult",
    "ModuleInstructor",
    "Nation",
    "PartnerResponse",
    "PlanMeta",
    "Provider",
    "ProviderKind",
    "Qualification",
    "Record",
    "Release",
    "TaskRating",
    "Trainee",
    "TraineePosting",
    "TrainingEvent",
    "TrainingRequirement",
    "Unavailability",
    "Unit",
    "UnitKind",
    "Venue",
    "VenueClosure",
    "WorkloadPeriod",
    "course_prerequisite",
    "course_qualification",
    "current_user",
    "install_change_log",
    "new_uuid",
    "task_course",
    "utc_now",
]
