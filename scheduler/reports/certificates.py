"""Certificates of training: what one says, and the code that proves it ours.

A certificate is printed for each trainee who passed an event: their names
in both scripts, the course, its days and venue, the issuing cell, a serial
number and a short verification code, in English and the partner's
language. The code is a digest of the certificate's facts and of the
enrolment's own identity, which never leaves the plan: whoever holds the
plan can tell a true certificate from an altered one, nobody else can make
one that passes.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date

from scheduler.reports.frame import ReportFrame

SERIAL_LIMIT = 32  # Enrolment.certificate_serial


@dataclass(frozen=True, slots=True)
class CertificateData:
    serial: str
    code: str
    name: str
    name_latin: str | None
    rank: str | None
    unit: str | None
    course_code: str
    course_title: str
    first_day: date
    last_day: date
    venue: str | None
    issuer: str
    language: str | None  # the partner's, printed under the English (None: English only)


@dataclass(frozen=True, slots=True)
class CertificateReport:
    """Certificates to print, one a page (portrait), each page marked."""

    frame: ReportFrame
    certificates: tuple[CertificateData, ...]


def verification_code(secret: str, *facts: object) -> str:
    """Eight letters and digits (``K7QD-M2XA``) from ``facts`` and ``secret``."""
    digest = hashlib.sha256("\x1f".join([secret, *map(str, facts)]).encode("utf-8")).digest()
    letters = base64.b32encode(digest).decode("ascii")[:8]
    return f"{letters[:4]}-{letters[4:]}"


def serial_for(ref: str, number: int) -> str:
    """``MK-2027-014/03``: the event's Ref and the certificate's place in it."""
    serial = f"{ref}/{number:02d}"
    if len(serial) > SERIAL_LIMIT:
        serial = f"{ref[: SERIAL_LIMIT - 4]}/{number:02d}"[-SERIAL_LIMIT:]
    return serial


def days_text(first: date, last: date) -> tuple[str, dict[str, str]]:
    """The English pattern and its values for the certificate's days (dd.mm.yyyy)."""
    if first == last:
        return "on {day}", {"day": f"{first:%d.%m.%Y}"}
    return "from {first} to {last}", {"first": f"{first:%d.%m.%Y}", "last": f"{last:%d.%m.%Y}"}


def file_name(text: str) -> str:
    """``text`` as a file name on Windows and Linux (letters of any script kept)."""
    cleaned = "".join("-" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in text)
    return " ".join(cleaned.split()).strip(" .") or "certificate"
