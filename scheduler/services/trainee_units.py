"""Which unit a trainee served in on a day, from their postings (ORM records)."""

from __future__ import annotations

from datetime import date

from scheduler.model import Trainee, TraineePosting
from scheduler.planning.postings import covers


def posting_on(person: Trainee, day: date) -> TraineePosting | None:
    """The posting that covers ``day`` (on a move day, the first found)."""
    return next((p for p in person.postings if covers(p.date_from, p.date_to, day)), None)
