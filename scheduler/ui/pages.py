"""The navigation: which pages exist, in which order, and how each is made.

Pages are built the first time they are shown, so opening a plan costs only
the first page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from scheduler.ui.conflict_monitor import ConflictMonitor
from scheduler.ui.document import PlanDocument


@dataclass(frozen=True, slots=True)
class PageContext:
    """What a page is built with: the open plan and its conflict monitor."""

    document: PlanDocument
    monitor: ConflictMonitor


@dataclass(frozen=True, slots=True)
class PageInfo:
    key: str
    title: str
    make: Callable[[PageContext], QWidget]


def _dashboard(context: PageContext) -> QWidget:
    from scheduler.ui.dashboard import DashboardPage

    return DashboardPage(context.document, context.monitor)


def _records(key: str) -> Callable[[PageContext], QWidget]:
    def make(context: PageContext) -> QWidget:
        from scheduler.services.entity_specs import spec_for
        from scheduler.ui.tables.record_page import RecordPage

        return RecordPage(context.document, spec_for(key))

    return make


def _events(context: PageContext) -> QWidget:
    from scheduler.ui.tables.events_page import EventsPage

    return EventsPage(context.document, context.monitor)


def _calendar(context: PageContext) -> QWidget:
    from scheduler.ui.calendar.page import CalendarPage

    return CalendarPage(context.document, context.monitor)


def _units(context: PageContext) -> QWidget:
    from scheduler.ui.tables.units_page import UnitsPage

    return UnitsPage(context.document)


def _timeline(context: PageContext) -> QWidget:
    from scheduler.ui.timeline.page import TimelinePage

    return TimelinePage(context.document, context.monitor)


def _utilisation(context: PageContext) -> QWidget:
    from scheduler.ui.utilisation.page import UtilisationPage

    return UtilisationPage(context.document)


def _requirements(context: PageContext) -> QWidget:
    from scheduler.ui.tables.requirements_page import RequirementsPage

    return RequirementsPage(context.document, context.monitor)


def _readiness(context: PageContext) -> QWidget:
    from scheduler.ui.coordination import CoordinationPage

    return CoordinationPage(context.document)


def _conflicts(context: PageContext) -> QWidget:
    from scheduler.ui.conflicts_page import ConflictsPage

    return ConflictsPage(context.document, context.monitor)


PAGES: tuple[PageInfo, ...] = (
    PageInfo("dashboard", "Dashboard", _dashboard),
    PageInfo("calendar", "Calendar", _calendar),
    PageInfo("timeline", "Timeline", _timeline),
    PageInfo("utilisation", "Utilisation", _utilisation),
    PageInfo("events", "Events", _events),
    PageInfo("courses", "Courses", _records("course")),
    PageInfo("instructors", "Instructors", _records("instructor")),
    PageInfo("units", "Units", _units),
    PageInfo("venues", "Venues", _records("venue")),
    PageInfo("kit", "Kit", _records("kit")),
    PageInfo("requirements", "Requirements", _requirements),
    PageInfo("conflicts", "Conflicts", _conflicts),
    PageInfo("readiness", "Readiness", _readiness),
    PageInfo("tasks", "Tasks", _records("task")),
    PageInfo("providers", "Providers", _records("provider")),
    PageInfo("trainees", "Trainees", _records("trainee")),
    PageInfo("qualifications", "Qualifications", _records("qualification")),
    PageInfo("nations", "Nations", _records("nation")),
)
