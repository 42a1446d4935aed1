"""Certificates for the trainees who passed an event: serials given once, then printed.

A pass without a serial gets the next free one of its event (``MK-2027-014/03``)
when its certificate is first made; that is written to the plan (and so
recorded and undoable like any edit), and the same certificate made again
carries the same serial and code. The facts printed come from the plan as
it is; the verification code covers them (``reports.certificates``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.exchange.partner_language import workbook_language
from scheduler.model import Enrolment, EnrolmentStatus, TrainingEvent
from scheduler.planning.data import last_day_of
from scheduler.reports.certificates import (
    CertificateData,
    CertificateReport,
    serial_for,
    verification_code,
)
from scheduler.reports.frame import ReportFrame
from scheduler.services.trainee_facts import posting_on


def passed_on(session: Session, ref: str) -> tuple[TrainingEvent, list[Enrolment]]:
    event = session.scalar(select(TrainingEvent).where(TrainingEvent.ref == ref))
    if event is None:
        raise UserError(f"There is no event “{ref}” in this plan.")
    passed = sorted(
        (e for e in event.enrolments if e.status == EnrolmentStatus.PASSED),
        key=lambda e: ((e.trainee.name_latin or e.trainee.name).casefold(), e.trainee.id),
    )
    if not passed:
        raise UserError(f"No one has passed {ref} yet: record the results (status “passed”) first.")
    return event, passed


def give_serials(session: Session, ref: str) -> int:
    """Give each pass of ``ref`` without a serial the next free one; how many were given."""
    event, passed = passed_on(session, ref)
    taken = {e.certificate_serial for e in event.enrolments if e.certificate_serial}
    number, given = 0, 0
    for enrolment in passed:
        if enrolment.certificate_serial:
            continue
        while True:
            number += 1
            serial = serial_for(event.ref, number)
            clash = session.scalar(
                select(Enrolment.id).where(Enrolment.certificate_serial == serial)
            )
            if serial not in taken and clash is None:
                break
        enrolment.certificate_serial = serial
        taken.add(serial)
        given += 1
    session.flush()
    return given


def certificate_report(
    session: Session, ref: str, *, issuer: str, marking: str, printed: datetime
) -> CertificateReport:
    """The certificates of ``ref``'s passes (serials must have been given)."""
    event, passed = passed_on(session, ref)
    first, last = event.start.date(), last_day_of(event.start, event.end)
    venue = event.venue.name if event.venue is not None else None
    if event.venue is not None and event.venue.location:
        venue = f"{venue}, {event.venue.location}"
    items = []
    for enrolment in passed:
        person = enrolment.trainee
        serial = enrolment.certificate_serial or ""
        if not serial:
            raise UserError(f"{person.name} has no certificate serial yet.")
        posting = posting_on(person, first)
        unit = f"{posting.unit.name} ({posting.unit.code})" if posting is not None else None
        items.append(
            CertificateData(
                serial=serial,
                code=verification_code(
                    enrolment.uuid, serial, person.name, event.course.code, first, last
                ),
                name=person.name,
                name_latin=person.name_latin,
                rank=person.rank,
                unit=unit,
                course_code=event.course.code,
                course_title=event.course.title,
                first_day=first,
                last_day=last,
                venue=venue,
                issuer=issuer,
                language=workbook_language(person.nation.languages or ()),
            )
        )
    frame = ReportFrame(
        title=f"Certificates — {event.ref}",
        plan_name=issuer,
        period=f"{first:%d.%m.%Y} – {last:%d.%m.%Y}",
        marking=marking,
        printed=printed,
        orientation="portrait",
    )
    return CertificateReport(frame, tuple(items))
