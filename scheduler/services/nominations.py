"""What a partner's Nominations sheet is filled in with: its units, its
answers so far and its own people on each event.

A partner sees only its people: for a nation, trainees of that nation; for
a unit, trainees posted to it (or a unit below it) on the event's first day.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.exchange.nominations_sheet import EventAnswers, Nominee
from scheduler.exchange.partner_workbook import ReplyForm
from scheduler.exchange.rows import Partner
from scheduler.model import (
    Enrolment,
    Nation,
    PartnerResponse,
    Trainee,
    TraineePosting,
    TrainingEvent,
    Unit,
)
from scheduler.planning.postings import covers


def status_word(status: object) -> str:
    """An enrolment status as the partner's drop-down says it (``no show``)."""
    return str(getattr(status, "value", status)).replace("_", " ")


def load_reply_form(session: Session, partner: Partner, release_uuid: str) -> ReplyForm:
    codes: dict[int, str] = {
        unit_id: code
        for unit_id, code in session.execute(
            select(Unit.id, Unit.code).where(Unit.id.in_(partner.unit_ids))
        )
    }
    nominees: dict[int, list[Nominee]] = {}
    postings: dict[int, list[tuple[int, date | None, date | None]]] = {}
    people = select(Trainee.id)
    if partner.code == partner.nation_code:
        people = people.join(Nation, Nation.id == Trainee.nation_id).where(
            Nation.code == partner.nation_code
        )
    else:
        people = people.join(TraineePosting).where(TraineePosting.unit_id.in_(partner.unit_ids))
    for trainee_id, unit_id, first, last in session.execute(
        select(
            TraineePosting.trainee_id,
            TraineePosting.unit_id,
            TraineePosting.date_from,
            TraineePosting.date_to,
        ).where(TraineePosting.trainee_id.in_(people))
    ):
        postings.setdefault(trainee_id, []).append((unit_id, first, last))
    nation_partner = partner.code == partner.nation_code
    for event_id, start, status, person in session.execute(
        select(TrainingEvent.id, TrainingEvent.start, Enrolment.status, Trainee)
        .join(Enrolment, Enrolment.event_id == TrainingEvent.id)
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .where(Trainee.id.in_(people))
        .order_by(TrainingEvent.id, Trainee.name_latin, Trainee.name, Trainee.id)
    ):
        day = start.date()
        unit = next(
            (
                codes[unit_id]
                for unit_id, first, last in postings.get(person.id, [])
                if unit_id in codes and covers(first, last, day)
            ),
            None,
        )
        if unit is None and not nation_partner:
            continue  # not this unit's person on that day
        nominees.setdefault(event_id, []).append(
            Nominee(
                person.uuid,
                person.name,
                person.name_latin,
                person.rank,
                unit,
                status_word(status),
                person.service_number,
            )
        )
    responses = {
        event_id: (seats, remarks)
        for event_id, seats, remarks in session.execute(
            select(
                PartnerResponse.event_id,
                PartnerResponse.confirmed_seats,
                PartnerResponse.remarks,
            ).where(PartnerResponse.partner_code == partner.code)
        )
    }
    answers = {
        event_id: EventAnswers(
            *responses.get(event_id, (None, None)), tuple(nominees.get(event_id, ()))
        )
        for event_id in {*responses, *nominees}
    }
    return ReplyForm(release_uuid, tuple(sorted(codes.values())), answers)


def partners_with_names(session: Session) -> set[str]:
    """Partner codes whose workbook may hold names: the nations with a trainee on
    any event, and every unit of them. The export and its dialog both ask this,
    so the marking the dialog shows is the one the file gets."""
    nations = set(
        session.scalars(
            select(Nation.code)
            .join(Trainee, Trainee.nation_id == Nation.id)
            .where(Trainee.id.in_(select(Enrolment.trainee_id)))
        )
    )
    units = session.scalars(
        select(Unit.code).join(Nation, Nation.id == Unit.nation_id).where(Nation.code.in_(nations))
    )
    return nations | set(units)
