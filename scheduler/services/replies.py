"""A partner's reply compared with the plan, previewed, then applied as chosen.

``work_out_reply`` holds the file against the release it answers: a file
this plan never sent, one whose key names another partner, or one answering
a release the partner has had a newer one since is refused in a sentence;
a damaged layout is listed by sheet, row and column and nothing of it is
offered. What remains is a list of ``ReplyChange`` (a new nominee, a
confirmation, a withdrawal, a result, corrected details, confirmed seats,
remarks), each with a stable key. ``apply_reply`` works the file out again
inside the writing transaction and applies the changes whose keys the
planner accepted, so what is written is judged against the plan as it is
then, never as it was when the preview was shown.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.exchange.import_rows import Problem
from scheduler.exchange.nominations_sheet import EVENT_LINE
from scheduler.exchange.partner_reply import ReplyFile, ReplyLine, read_reply
from scheduler.model import (
    Enrolment,
    EnrolmentStatus,
    Nation,
    PartnerResponse,
    Release,
    Trainee,
    TraineePosting,
    TrainingEvent,
    Unit,
    utc_now,
)
from scheduler.planning.data import last_day_of
from scheduler.services.changes import Changes
from scheduler.services.nominations import status_word

# What a change does, as the preview names it.
NEW_NOMINEE = "New nominee"
STATUS = "Status"
DETAILS = "Details"
SEATS = "Confirmed seats"
REMARKS = "Remarks"
_PERSON_FIELDS = (
    ("name", "name"),
    ("name_latin", "name in Latin letters"),
    ("rank", "rank"),
    ("service", "service number"),
)


@dataclass(frozen=True, slots=True)
class ReplyChange:
    key: str  # stable between a preview and the apply that follows it
    kind: str
    ref: str
    who: str  # the person, or "" for the event's own answers
    was: str
    now: str


@dataclass(slots=True)
class ReplyPreview:
    file: Path
    partner_code: str
    released_at: str
    changes: list[ReplyChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # refuse the whole file
    notes: list[Problem] = field(default_factory=list)  # said, not in the way

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    def text(self) -> str:
        lines = [
            f"{self.file.name}: the reply of {self.partner_code} to the release of "
            f"{self.released_at}."
        ]
        if self.problems:
            lines += [str(p) for p in self.problems]
            lines.append(
                f"{len(self.problems)} problem(s): nothing can be imported from this file. "
                "Ask the partner to fill in the yellow cells of the file as it was sent."
            )
            return "\n".join(lines)
        lines += [str(p) for p in self.notes]
        if not self.changes:
            lines.append("Nothing in it differs from the plan.")
        for change in self.changes:
            who = f" {change.who}:" if change.who else ""
            what = f"{change.was} → {change.now}" if change.was else change.now
            lines.append(f"  {change.ref}  {change.kind}:{who} {what}")
        return "\n".join(lines)


@dataclass(slots=True)
class _Work:
    """A change worked out: its preview line and how to make it."""

    change: ReplyChange
    line: ReplyLine
    event: TrainingEvent
    trainee: Trainee | None = None


def work_out_reply(session: Session, path: Path) -> ReplyPreview:
    """What ``path`` would change; nothing is written."""
    preview, _ = _work_out(session, path)
    return preview


def apply_reply(session: Session, path: Path, accepted: Collection[str]) -> Changes:
    """Apply the changes of ``path`` whose keys are in ``accepted``, as the plan is now."""
    preview, works = _work_out(session, path)
    if preview.refused:
        raise UserError(preview.text())
    wanted = set(accepted)
    now = utc_now()
    done = 0
    for work in works:
        if work.change.key in wanted:
            _apply(session, preview.partner_code, work, now)
            done += 1
    session.flush()
    return Changes.of("trainee", "event") if done else Changes()


def _work_out(session: Session, path: Path) -> tuple[ReplyPreview, list[_Work]]:
    reply = read_reply(path)
    release = session.scalar(select(Release).where(Release.uuid == reply.release_uuid))
    if release is None:
        raise UserError(
            f"“{path.name}” answers a release this plan did not send (another plan's, or "
            "one removed since). Nothing was imported."
        )
    if release.partner_code.casefold() != reply.partner_code.casefold():
        raise UserError(
            f"“{path.name}” says it is for {reply.partner_code}, but its release went to "
            f"{release.partner_code}: the file was altered. Nothing was imported."
        )
    newer = session.scalar(
        select(Release.released_at)
        .where(Release.partner_code == release.partner_code, Release.id > release.id)
        .order_by(Release.id.desc())
        .limit(1)
    )
    sent = f"{release.released_at:%d %b %Y %H:%M}"
    if newer is not None:
        raise UserError(
            f"“{path.name}” answers the release of {sent} to {release.partner_code}, which "
            f"has had a newer one since ({newer:%d %b %Y %H:%M}). Ask them to fill in the "
            "newer file; nothing was imported."
        )
    preview = ReplyPreview(path, release.partner_code, sent, problems=list(reply.problems))
    if preview.refused:
        return preview, []
    events = _events_of(session, release)
    works: list[_Work] = []
    for line in reply.lines:
        event = events.get(line.key.ref)
        if event is None:
            if line.filled:
                preview.notes.append(
                    Problem(
                        "Nominations",
                        line.row,
                        None,
                        f"{line.key.ref} is no longer in the plan; its answers cannot be kept",
                        "warning",
                    )
                )
            continue
        if line.key.kind == EVENT_LINE:
            works += _event_answers(session, release.partner_code, line, event)
        else:
            works += _person(session, reply, release.partner_code, line, event, preview)
    preview.changes = [w.change for w in works]
    return preview, works


def _events_of(session: Session, release: Release) -> dict[str, TrainingEvent]:
    """Ref as sent -> the event now (found by its uuid: a Ref may have changed since)."""
    by_uuid = {entry["uuid"]: entry["ref"] for entry in release.snapshot or [] if entry.get("uuid")}
    found = session.scalars(select(TrainingEvent).where(TrainingEvent.uuid.in_(list(by_uuid))))
    return {by_uuid[event.uuid]: event for event in found}


def _event_answers(
    session: Session, partner: str, line: ReplyLine, event: TrainingEvent
) -> list[_Work]:
    stored = _response(session, event, partner)
    seats = stored.confirmed_seats if stored is not None else None
    remarks = stored.remarks if stored is not None else None
    found = []
    if line.values["confirmed_seats"] != seats:
        found.append(
            _Work(
                ReplyChange(
                    f"{line.key.ref}|seats",
                    SEATS,
                    line.key.ref,
                    "",
                    "" if seats is None else str(seats),
                    _shown(line.values["confirmed_seats"]),
                ),
                line,
                event,
            )
        )
    if (line.values["remarks"] or None) != (remarks or None):
        found.append(
            _Work(
                ReplyChange(
                    f"{line.key.ref}|remarks",
                    REMARKS,
                    line.key.ref,
                    "",
                    remarks or "",
                    _shown(line.values["remarks"]),
                ),
                line,
                event,
            )
        )
    return found


def _shown(value: object) -> str:
    return "(cleared)" if value is None else str(value)


def _response(session: Session, event: TrainingEvent, partner: str) -> PartnerResponse | None:
    return next((r for r in event.partner_responses if r.partner_code == partner), None)


def _person(
    session: Session,
    reply: ReplyFile,
    partner: str,
    line: ReplyLine,
    event: TrainingEvent,
    preview: ReplyPreview,
) -> list[_Work]:
    values, ref, key = line.values, line.key.ref, f"{line.key.ref}|{line.row}"
    sent_uuid = line.key.trainee_uuid
    person = session.scalar(select(Trainee).where(Trainee.uuid == sent_uuid)) if sent_uuid else None
    if sent_uuid and person is None:
        return []  # deleted from the plan since: nothing to answer for
    if person is None:
        if not line.filled:
            return []
        person, problem = _find_person(session, partner, values)
        if problem is not None:
            preview.problems.append(Problem("Nominations", line.row, "Name", problem, "error"))
            return []
    enrolment = (
        next((e for e in person.enrolments if e.event_id == event.id), None)
        if person is not None
        else None
    )
    who = _name(values) if person is None else _label(person)
    works: list[_Work] = []
    if enrolment is None:
        status = values["status"] or EnrolmentStatus.NOMINATED.value
        unit = f", {values['unit']}" if values["unit"] else ""
        works.append(
            _Work(
                ReplyChange(
                    f"{key}|new", NEW_NOMINEE, ref, who, "", f"{status_word(status)}{unit}"
                ),
                line,
                event,
                person,
            )
        )
        return works
    if not line.filled:
        status = EnrolmentStatus.WITHDRAWN.value  # a line cleared: this person is not coming
    else:
        status = values["status"] or enrolment.status.value
    if status != enrolment.status.value:
        works.append(
            _Work(
                ReplyChange(
                    f"{key}|status",
                    STATUS,
                    ref,
                    who,
                    status_word(enrolment.status),
                    status_word(status),
                ),
                line,
                event,
                person,
            )
        )
    if line.filled:
        for name, label in _PERSON_FIELDS:
            stored = getattr(person, "service_number" if name == "service" else name)
            if values[name] is not None and values[name] != stored:
                works.append(
                    _Work(
                        ReplyChange(
                            f"{key}|{name}",
                            DETAILS,
                            ref,
                            who,
                            f"{label} {stored or '—'}",
                            values[name],
                        ),
                        line,
                        event,
                        person,
                    )
                )
    return works


def _name(values: dict[str, object]) -> str:
    name, latin = values.get("name"), values.get("name_latin")
    if name and latin and name != latin:
        return f"{name} ({latin})"
    return str(name or latin or "")


def _label(person: Trainee) -> str:
    return _name({"name": person.name, "name_latin": person.name_latin})


def _find_person(
    session: Session, partner: str, values: dict[str, object]
) -> tuple[Trainee | None, str | None]:
    """An existing trainee of the partner's nation the line names, None for a new one."""
    nation = _nation_of(session, partner)
    names = {str(v).casefold() for v in (values.get("name"), values.get("name_latin")) if v}
    candidates = [
        t
        for t in session.scalars(select(Trainee).where(Trainee.nation_id == nation.id))
        if {t.name.casefold(), (t.name_latin or "").casefold()} & names
    ]
    number = values.get("service")
    if number is not None:
        candidates = [
            t for t in candidates if (t.service_number or "").casefold() == str(number).casefold()
        ]
    if len(candidates) > 1:
        return None, (
            f"{len(candidates)} people of {nation.code} in the plan are called "
            f"{_name(values)}; a service number tells which"
        )
    return (candidates[0] if candidates else None), None


def _nation_of(session: Session, partner: str) -> Nation:
    nation = session.scalar(select(Nation).where(Nation.code == partner))
    if nation is None:
        nation = session.scalar(
            select(Nation).join(Unit, Unit.nation_id == Nation.id).where(Unit.code == partner)
        )
    if nation is None:
        raise UserError(f"The partner {partner} is no longer in the plan; nothing was imported.")
    return nation


def _apply(session: Session, partner: str, work: _Work, now: object) -> None:
    change, values, event = work.change, work.line.values, work.event
    if change.kind in (SEATS, REMARKS):
        response = _response(session, event, partner)
        if response is None:
            response = PartnerResponse(partner_code=partner)
            event.partner_responses.append(response)
        if change.kind == SEATS:
            response.confirmed_seats = values["confirmed_seats"]
        else:
            response.remarks = values["remarks"]
        response.received_at = now  # type: ignore[assignment]
        return
    person = work.trainee
    if change.kind == NEW_NOMINEE:
        if person is None:
            person = Trainee(
                name=str(values["name"] or values["name_latin"]),
                name_latin=values["name_latin"],
                rank=values["rank"],
                nation=_nation_of(session, partner),
                service_number=values["service"],
                languages=[],
            )
            unit = _unit(session, values["unit"])
            if unit is not None:
                person.postings.append(TraineePosting(unit=unit, date_from=event.start.date()))
            session.add(person)
        person.enrolments.append(
            Enrolment(
                event=event,
                status=EnrolmentStatus(values["status"] or EnrolmentStatus.NOMINATED.value),
                result_date=_result_date(values["status"], event),
            )
        )
        return
    assert person is not None
    if change.kind == STATUS:
        enrolment = next(e for e in person.enrolments if e.event_id == event.id)
        status = values["status"] if work.line.filled else EnrolmentStatus.WITHDRAWN.value
        enrolment.status = EnrolmentStatus(status or enrolment.status.value)
        if enrolment.result_date is None:
            enrolment.result_date = _result_date(enrolment.status.value, event)
        return
    field_name = change.key.rsplit("|", 1)[1]
    setattr(person, "service_number" if field_name == "service" else field_name, values[field_name])


def _unit(session: Session, code: object) -> Unit | None:
    if not code:
        return None
    return session.scalar(select(Unit).where(Unit.code == str(code)))


def _result_date(status: object, event: TrainingEvent) -> date | None:
    """A pass or a fail without a date of its own dates from the event's last day."""
    if status in (EnrolmentStatus.PASSED.value, EnrolmentStatus.FAILED.value):
        return last_day_of(event.start, event.end)
    return None
