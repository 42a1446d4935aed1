"""A partner's reply compared with the plan, previewed, then applied as chosen.

``work_out_reply`` holds the file against the release it answers: a file
this plan never sent, one whose key names another partner, or one answering
a release whose events have all been sent again since is refused in a
sentence (an event sent again is answered in the newer file: its lines here
are noted and left); a damaged layout, or one person
twice on one event, is listed by sheet, row and column and nothing of it is
offered.

A reply says only what the partner changed: each cell is compared with what
it held when sent (the key keeps that), never with what the plan holds now,
so the planner's own changes since the release are not undone by a line the
partner left alone. Each change (a new nominee, a confirmation, a
withdrawal, a result, corrected details, confirmed seats, remarks) has a
stable key; ``apply_reply`` works the file out again inside the writing
transaction and applies those the planner accepted.

Reading a line: all of it cleared means the person is not coming
(withdrawn; their history stays). Both names, or the service number,
typed over means another person: the one sent is withdrawn and the new one
nominated, never the first one renamed. A change of unit of someone already
in the plan is said, not applied (a move is a posting: the Trainees page).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.exchange.import_rows import ERROR, WARNING, Problem
from scheduler.exchange.nominations_sheet import EVENT_LINE, NOMINATIONS_SHEET
from scheduler.exchange.partner_reply import ReplyLine, read_reply
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
from scheduler.services.export_rows import resolve_partner
from scheduler.services.nominations import status_word
from scheduler.services.trainee_facts import person_label

# What a change does, as the preview names it.
NEW_NOMINEE = "New nominee"
STATUS = "Status"
DETAILS = "Details"
SEATS = "Confirmed seats"
REMARKS = "Remarks"
# A person's fields a reply may correct, as the preview names them.
_DETAILS = {
    "name": "name",
    "name_latin": "name in Latin letters",
    "rank": "rank",
    "service": "service number",
}
_COLUMNS = {"service": "service_number"}


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
            lines.append("Nothing in it differs from what was sent.")
        for change in self.changes:
            who = f" {change.who}:" if change.who else ""
            what = f"{change.was} → {change.now}" if change.was else change.now
            lines.append(f"  {change.ref}  {change.kind}:{who} {what}")
        return "\n".join(lines)


@dataclass(slots=True)
class _Work:
    """A change worked out: its preview line and how to make it."""

    change: ReplyChange
    event: TrainingEvent
    values: dict[str, Any]  # the line's cells as typed
    person: Trainee | None = None  # in the plan; None: ``newcomer`` is
    newcomer: str = ""  # who a new person is (one Trainee per reply, however many lines)
    target: str = ""  # the status to set (STATUS, NEW_NOMINEE), the field (DETAILS)


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
    applying = _Applying(session, preview.partner_code, utc_now())
    for work in works:
        if work.change.key in wanted:
            applying.apply(work)
    session.flush()
    return Changes.of("trainee", "event") if applying.done else Changes()


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
    sent = f"{release.released_at:%d %b %Y %H:%M}"
    resent, newer = _resent(session, release)
    if newer is not None and resent >= {e.get("uuid") for e in release.snapshot or []}:
        raise UserError(
            f"“{path.name}” answers the release of {sent} to {release.partner_code}; its "
            f"events were sent again since, in the release of {newer:%d %b %Y %H:%M}. Ask "
            "them to fill in that newer file; nothing was imported."
        )
    preview = ReplyPreview(path, release.partner_code, sent, problems=list(reply.problems))
    if preview.refused:
        return preview, []
    reading = _Reading(session, release.partner_code, preview)
    events = _events_of(session, release)
    for line in reply.lines:
        event = events.get(line.key.ref)
        if event is None:
            if line.changed():
                reading.note(line, f"{line.key.ref} is no longer in the plan; its answers are left")
            continue
        if event.uuid in resent:
            if line.changed():
                reading.note(
                    line,
                    f"{line.key.ref} was sent again in a newer release; its answers there count, "
                    "these are left",
                )
            continue
        if line.key.kind == EVENT_LINE:
            reading.event_answers(line, event)
        else:
            reading.person(line, event)
    preview.changes = [w.change for w in reading.works]
    return preview, reading.works


def _resent(session: Session, release: Release) -> tuple[set[str], datetime | None]:
    """This release's events that later releases to the same partner sent again,
    and when the latest of those went (None: none did)."""
    events = {entry.get("uuid") for entry in release.snapshot or []}
    resent: set[str] = set()
    latest = None
    for released_at, snapshot in session.execute(
        select(Release.released_at, Release.snapshot)
        .where(Release.partner_code == release.partner_code, Release.id > release.id)
        .order_by(Release.id)
    ):
        again = events & {entry.get("uuid") for entry in snapshot or []}
        if again:
            resent |= {u for u in again if u}
            latest = released_at
    return resent, latest


def _events_of(session: Session, release: Release) -> dict[str, TrainingEvent]:
    """Ref as sent -> the event now (found by its uuid: a Ref may have changed since)."""
    by_uuid = {entry["uuid"]: entry["ref"] for entry in release.snapshot or [] if entry.get("uuid")}
    found = session.scalars(select(TrainingEvent).where(TrainingEvent.uuid.in_(list(by_uuid))))
    return {by_uuid[event.uuid]: event for event in found}


def _shown(value: object) -> str:
    return "(cleared)" if value is None else str(value)


def _name(values: dict[str, Any]) -> str:
    return person_label(values.get("name"), values.get("name_latin"))


def _fold(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


def _response(event: TrainingEvent, partner: str) -> PartnerResponse | None:
    return next((r for r in event.partner_responses if r.partner_code == partner), None)


class _Reading:
    """Works out one reply's changes line by line (see the module doc)."""

    def __init__(self, session: Session, partner: str, preview: ReplyPreview) -> None:
        self.session, self.partner, self.preview = session, partner, preview
        self.works: list[_Work] = []
        self.on_event: dict[tuple[int, str], int] = {}  # (event, who) -> the row naming them
        self._nation: Nation | None = None

    def note(self, line: ReplyLine, message: str) -> None:
        self.preview.notes.append(Problem(NOMINATIONS_SHEET, line.row, None, message, WARNING))

    def _problem(self, line: ReplyLine, column: str, message: str) -> None:
        self.preview.problems.append(Problem(NOMINATIONS_SHEET, line.row, column, message, ERROR))

    def _add(self, kind: str, line: ReplyLine, event: TrainingEvent, who: str, was: str,
             now: str, person: Trainee | None = None, *, newcomer: str = "",
             target: str = "") -> None:  # fmt: skip
        key = f"{line.key.ref}|{line.row}|{kind}|{target}"
        change = ReplyChange(key, kind, line.key.ref, who, was, now)
        self.works.append(_Work(change, event, line.values, person, newcomer, target))

    def event_answers(self, line: ReplyLine, event: TrainingEvent) -> None:
        stored = _response(event, self.partner)
        changed = line.changed()
        seats = stored.confirmed_seats if stored is not None else None
        typed = line.values["confirmed_seats"]
        if "confirmed_seats" in changed and typed != seats:  # (not already in the plan)
            self._add(SEATS, line, event, "", "" if seats is None else str(seats), _shown(typed))
        remarks = stored.remarks if stored is not None else None
        if "remarks" in changed and line.values["remarks"] != remarks:
            self._add(REMARKS, line, event, "", remarks or "", _shown(line.values["remarks"]))

    def person(self, line: ReplyLine, event: TrainingEvent) -> None:
        changed = line.changed()
        values, sent = line.values, line.sent
        uuid = line.key.trainee_uuid
        # On this event on this line: the person typed again on another line is a problem.
        if (
            uuid
            and line.filled
            and not self._another_person(values, sent)
            and not self._once(line, event, uuid)
        ):
            return
        if not changed:
            return  # as it went out: whatever the plan says now stands
        if uuid:
            person = self.session.scalar(select(Trainee).where(Trainee.uuid == uuid))
            if person is None:
                self.note(line, f"{_name(sent)} is no longer in the plan; this line is left")
                return
            if not line.filled:
                self._status(line, event, person, EnrolmentStatus.WITHDRAWN.value)
                return
            if self._another_person(values, sent):
                self._status(line, event, person, EnrolmentStatus.WITHDRAWN.value)
                self._newcomer(line, event)
                return
            who = person_label(person.name, person.name_latin)
            for name, label in _DETAILS.items():
                stored = getattr(person, _COLUMNS.get(name, name))
                if name == "name" and values[name] is None and "name" in changed:
                    self.note(line, f"{who}: a name cannot be emptied; it is left as it was")
                    continue
                if name in changed and values[name] != stored:
                    self._add(DETAILS, line, event, who, f"{label} {stored or '—'}",
                              _shown(values[name]), person, target=name)  # fmt: skip
            if "status" in changed and values["status"] is not None:
                self._status(line, event, person, values["status"])
            if "unit" in changed and values["unit"] is not None:
                self.note(line, f"{who}: the unit {values['unit']} is not taken from a reply; "
                                "move them on the Trainees page")  # fmt: skip
            return
        if line.filled:
            self._newcomer(line, event)

    def _another_person(self, values: dict[str, Any], sent: dict[str, Any]) -> bool:
        """Typed over: both names changed, or the service number did."""
        names = [n for n in ("name", "name_latin") if sent.get(n)]
        renamed = bool(names) and all(_fold(values[n]) != _fold(sent[n]) for n in names)
        number = sent.get("service")
        return renamed or bool(number and values["service"] and values["service"] != number)

    def _status(self, line: ReplyLine, event: TrainingEvent, person: Trainee, status: str) -> None:
        who = person_label(person.name, person.name_latin)
        enrolment = next((e for e in person.enrolments if e.event_id == event.id), None)
        if enrolment is None:
            if status != EnrolmentStatus.WITHDRAWN.value:  # taken off since: back on it
                self._add(NEW_NOMINEE, line, event, who, "", status_word(status), person,
                          target=status)  # fmt: skip
            return
        if enrolment.status.value != status:
            self._add(STATUS, line, event, who, status_word(enrolment.status),
                      status_word(status), person, target=status)  # fmt: skip

    def _once(self, line: ReplyLine, event: TrainingEvent, who: str) -> bool:
        """One line per person and event: a second is a problem with its row."""
        first = self.on_event.setdefault((event.id, who), line.row)
        if first != line.row:
            self._problem(line, "Name", f"the same person as on row {first} of this event")
            return False
        return True

    def _newcomer(self, line: ReplyLine, event: TrainingEvent) -> None:
        values = line.values
        person, problem = self._find(values)
        if problem is not None:
            self._problem(line, "Name", problem)
            return
        identity = (
            person.uuid
            if person is not None
            else "\x1f".join(_fold(values[n]) for n in ("name", "name_latin", "service"))
        )
        if not self._once(line, event, identity):
            return
        if person is not None and any(e.event_id == event.id for e in person.enrolments):
            self._status(line, event, person, values["status"] or EnrolmentStatus.NOMINATED.value)
            return
        status = values["status"] or EnrolmentStatus.NOMINATED.value
        unit = f", {values['unit']}" if values["unit"] else ""
        self._add(NEW_NOMINEE, line, event, _name(values), "", f"{status_word(status)}{unit}",
                  person, newcomer="" if person is not None else identity,
                  target=status)  # fmt: skip

    def nation(self) -> Nation:
        if self._nation is None:
            self._nation = _nation_of(self.session, self.partner)
        return self._nation

    def _find(self, values: dict[str, Any]) -> tuple[Trainee | None, str | None]:
        """A trainee of the partner's nation the line names (None: a new one)."""
        nation = self.nation()
        names = {_fold(values[n]) for n in ("name", "name_latin") if values[n]}
        candidates = [
            t
            for t in self.session.scalars(select(Trainee).where(Trainee.nation_id == nation.id))
            if {_fold(t.name), _fold(t.name_latin)} & names
        ]
        number = values["service"]
        if number is not None:
            candidates = [t for t in candidates if _fold(t.service_number) == _fold(number)]
        if len(candidates) > 1:
            return None, (
                f"{len(candidates)} people of {nation.code} in the plan are called "
                f"{_name(values)}; a service number tells which"
            )
        return (candidates[0] if candidates else None), None


def _nation_of(session: Session, partner: str) -> Nation:
    """The partner's nation (a unit partner's is its units')."""
    code = resolve_partner(session, partner).nation_code
    return session.scalars(select(Nation).where(Nation.code == code)).one()


class _Applying:
    """Makes the accepted changes; a new person typed on several lines is one trainee."""

    def __init__(self, session: Session, partner: str, now: datetime) -> None:
        self.session, self.partner, self.now = session, partner, now
        self.created: dict[str, Trainee] = {}
        self.done = 0

    def apply(self, work: _Work) -> None:
        self.done += 1
        kind, values, event = work.change.kind, work.values, work.event
        if kind in (SEATS, REMARKS):
            response = _response(event, self.partner)
            if response is None:
                response = PartnerResponse(partner_code=self.partner)
                event.partner_responses.append(response)
            if kind == SEATS:
                response.confirmed_seats = values["confirmed_seats"]
            else:
                response.remarks = values["remarks"]
            response.received_at = self.now
            return
        person = work.person or self._newcomer(work)
        if kind == NEW_NOMINEE:
            if any(e.event_id == event.id for e in person.enrolments):
                return  # accepted twice over (the same person on two of its lines)
            status = EnrolmentStatus(work.target)
            person.enrolments.append(
                Enrolment(event=event, status=status, result_date=_result_date(status, event))
            )
        elif kind == STATUS:
            enrolment = next(e for e in person.enrolments if e.event_id == event.id)
            enrolment.status = EnrolmentStatus(work.target)
            if enrolment.result_date is None:
                enrolment.result_date = _result_date(enrolment.status, event)
        else:
            setattr(person, _COLUMNS.get(work.target, work.target), values[work.target])

    def _newcomer(self, work: _Work) -> Trainee:
        identity = work.newcomer
        person = self.created.get(identity)
        if person is not None:
            return person
        values = work.values
        person = Trainee(
            name=str(values["name"] or values["name_latin"]),
            name_latin=values["name_latin"],
            rank=values["rank"],
            nation=_nation_of(self.session, self.partner),
            service_number=values["service"],
            languages=[],
        )
        if values["unit"]:
            unit = self.session.scalar(select(Unit).where(Unit.code == values["unit"]))
            if unit is not None:
                person.postings.append(TraineePosting(unit=unit, date_from=work.event.start.date()))
        self.session.add(person)
        self.created[identity] = person
        return person


def _result_date(status: object, event: TrainingEvent) -> date | None:
    """A pass or a fail without a date of its own dates from the event's last day."""
    if status in (EnrolmentStatus.PASSED, EnrolmentStatus.FAILED):
        return last_day_of(event.start, event.end)
    return None
