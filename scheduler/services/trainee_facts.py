"""What is read off a trainee: the unit they served in on a day, and how
lists and previews name them (their script, and the Latin letters beside it)."""

from __future__ import annotations

from datetime import date

from scheduler.model import Trainee, TraineePosting
from scheduler.planning.postings import covers


def posting_on(person: Trainee, day: date) -> TraineePosting | None:
    """The posting that covers ``day`` (on a move day, the first found)."""
    return next((p for p in person.postings if covers(p.date_from, p.date_to, day)), None)


def person_label(name: str | None, name_latin: str | None) -> str:
    """``Ѓорѓи Трајковски (Gjorgji Trajkovski)``, or the one name there is."""
    if name and name_latin and name != name_latin:
        return f"{name} ({name_latin})"
    return name or name_latin or ""
