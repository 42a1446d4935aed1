"""The navigation: which pages exist, in which order, and how each is made.

Pages are built the first time they are shown, so opening a plan costs only
the first page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from scheduler.ui.document import PlanDocument


@dataclass(frozen=True, slots=True)
class PageInfo:
    key: str
    title: str
    make: Callable[[PlanDocument], QWidget]


def _dashboard(document: PlanDocument) -> QWidget:
    from scheduler.ui.dashboard import DashboardPage

    return DashboardPage(document)


def _not_yet(key: str, text: str) -> Callable[[PlanDocument], QWidget]:
    def make(_document: PlanDocument) -> QWidget:
        from scheduler.ui.placeholder_page import NotYetPage

        return NotYetPage(key, text)

    return make


def _records(key: str) -> Callable[[PlanDocument], QWidget]:
    def make(document: PlanDocument) -> QWidget:
        from scheduler.services.entity_specs import spec_for
        from scheduler.ui.tables.record_page import RecordPage

        return RecordPage(document, spec_for(key))

    return make


def _events(document: PlanDocument) -> QWidget:
    from scheduler.ui.tables.events_page import EventsPage

    return EventsPage(document)


def _units(document: PlanDocument) -> QWidget:
    from scheduler.ui.tables.units_page import UnitsPage

    return UnitsPage(document)


def _conflicts(document: PlanDocument) -> QWidget:
    try:
        from scheduler.ui.conflicts_page import ConflictsPage
    except ImportError:
        return _not_yet("conflicts", "The conflicts list is not part of this version yet.")(
            document
        )
    return ConflictsPage(document)


PAGES: tuple[PageInfo, ...] = (
    PageInfo("dashboard", "Dashboard", _dashboard),
    PageInfo(
        "calendar",
        "Calendar",
        _not_yet("calendar", "The calendar is not part of this version yet: use Events."),
    ),
    PageInfo(
        "timeline",
        "Timeline",
        _not_yet("timeline", "The resource timeline is not part of this version yet."),
    ),
    PageInfo("events", "Events", _events),
    PageInfo("courses", "Courses", _records("course")),
    PageInfo("instructors", "Instructors", _records("instructor")),
    PageInfo("units", "Units", _units),
    PageInfo("venues", "Venues", _records("venue")),
    PageInfo("requirements", "Requirements", _records("target")),
    PageInfo("conflicts", "Conflicts", _conflicts),
    PageInfo("qualifications", "Qualifications", _records("qualification")),
    PageInfo("nations", "Nations", _records("nation")),
)
