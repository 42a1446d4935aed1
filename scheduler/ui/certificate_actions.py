"""Certificates from the window: the event's passes, a folder, one PDF.

Serials a pass does not have yet are given first, as one undo step (they are
written to the plan); the PDF is then painted from the plan as it is, marked
for names (OFFICIAL-SENSITIVE unless the settings say more).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.model import EnrolmentStatus, TrainingEvent
from scheduler.planning.wording import count_text
from scheduler.ui.document import PlanDocument, UndoStep

TITLE = "Certificates"


def _passes(session: Session, uuid: str) -> tuple[str, int, int]:
    """The event's Ref, how many passed, and how many of them lack a serial."""
    event = session.scalar(select(TrainingEvent).where(TrainingEvent.uuid == uuid))
    if event is None:
        raise UserError("This event no longer exists (another planner may have deleted it).")
    passed = [e for e in event.enrolments if e.status == EnrolmentStatus.PASSED]
    return event.ref, len(passed), sum(1 for e in passed if not e.certificate_serial)


def print_certificates(parent: QWidget, document: PlanDocument, uuid: str) -> None:
    from scheduler.reports.certificates import file_name
    from scheduler.reports.render.documents import write_pdf
    from scheduler.services import edits
    from scheduler.services.certificates import certificate_report
    from scheduler.services.markings import printed_marking

    try:
        ref, passed, unnumbered = document.read(lambda s: _passes(s, uuid))
        if not passed:
            raise UserError(f"No one has passed {ref} yet: record the results first (Roll call…).")
        marking = printed_marking(None, names=True)
    except UserError as exc:
        QMessageBox.information(parent, TITLE, str(exc))
        return
    folder = QFileDialog.getExistingDirectory(parent, f"Certificates of {ref}: choose a folder")
    if not folder:
        return
    if unnumbered and not document.push(
        UndoStep(f"Give certificate serials ({ref})", edits.give_certificate_serials, ref)
    ):
        return
    target = Path(folder) / f"{file_name(ref)} certificates.pdf"
    try:
        report = document.read(
            lambda s: certificate_report(
                s,
                ref,
                issuer=document.plan.name,
                marking=marking,
                printed=datetime.now().replace(microsecond=0),
            )
        )
        write_pdf(report, target)
    except UserError as exc:
        QMessageBox.warning(parent, TITLE, str(exc))
        return
    QMessageBox.information(
        parent,
        TITLE,
        f"Wrote {count_text(passed, 'certificate')} to {target}, marked “{marking}”.",
    )
