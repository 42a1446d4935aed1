"""What the master and partner workbooks share: page facts, courses, saving."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.exchange.cells import align_default_to_top
from scheduler.exchange.output import PendingFile, write_error
from scheduler.exchange.rows import EventFilter
from scheduler.model import Course, TrainingEvent


def courses_in(session: Session, event_filter: EventFilter) -> list[tuple[str, str, str | None]]:
    """The courses the selected events run (for the colour legend)."""
    stmt = (
        select(Course.code, Course.title, Course.colour)
        .where(
            Course.id.in_(
                select(TrainingEvent.course_id).where(*event_filter.conditions()).distinct()
            )
        )
        .order_by(Course.code)
    )
    return [(code, title, colour) for code, title, colour in session.execute(stmt)]


def generated_note(moment: datetime) -> str:
    return f"Generated {moment:%Y-%m-%d %H:%M}"


@contextmanager
def streamed_workbook() -> Iterator[Any]:
    """A write-only workbook whose sheets are closed quietly if the export fails
    (otherwise openpyxl complains at exit about half-written temporary sheets)."""
    workbook = Workbook(write_only=True)
    align_default_to_top(workbook)
    try:
        yield workbook
    except BaseException:
        for sheet in workbook._sheets:
            with suppress(Exception):
                sheet.close()
        raise


def save_workbook(workbook: Any, pending: PendingFile) -> None:
    try:
        workbook.save(pending.temp)
    except OSError as exc:
        raise write_error(pending.target, exc) from exc
