"""The sheets of per-event answers: Enrolments (which trainee is on which
event, and how it went) and Partner responses (what a partner's reply said).

A row names its event by Ref (one the plan holds or one the Events sheet of
the same file gives) and its trainee by name, in either script, narrowed by
nation and service number when the name alone is shared. The same event and
trainee again updates that row; nothing is ever deleted by an import.
Certificate serial numbers are checked against the whole plan after the
file's changes, so a duplicate is a message and never a failed write. A
partner response is matched by its event and partner code.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from scheduler.exchange import import_schema as schema
from scheduler.exchange.import_rows import ParsedRow
from scheduler.model import Enrolment, PartnerResponse, Trainee, TrainingEvent
from scheduler.model.enums import EnrolmentStatus
from scheduler.services.importing.context import ImportRun, fold
from scheduler.services.importing.periods import KeyedRows, Value

_SPEC = schema.ENROLMENTS
_CELLS = {
    "status": "status",
    "result_date": "result_date",
    "certificate": "certificate_serial",
    "remarks": "remarks",
}


def event_refs(run: ImportRun) -> dict[str, str]:
    """Folded Ref -> event uuid, after the file's Events sheet (new refs and renames)."""
    stored = run.stored(TrainingEvent, ("ref",)).rows
    refs = {fold(row["ref"]): uuid for uuid, row in stored.items()}
    for change in run.changes.updates.get(TrainingEvent, []):
        if "ref" in change.columns:
            old, new = change.columns["ref"]
            refs.pop(fold(str(old)), None)
            refs[fold(str(new))] = change.uuid
    for insert in run.changes.inserts.get(TrainingEvent, []):
        refs[fold(str(insert["ref"]))] = insert["uuid"]
    return refs


class _People:
    """Trainees by either of their names, as they will be after the import."""

    def __init__(self, run: ImportRun) -> None:
        self.registry = run.registry("trainee")
        self.by_name: dict[str, list[str]] = {}
        for uuid, values in self.registry.values.items():
            for name in {fold(values.get("name") or ""), fold(values.get("name_latin") or "")}:
                if name:
                    self.by_name.setdefault(name, []).append(uuid)

    def find(self, run: ImportRun, row: ParsedRow) -> str | None:
        name = row.get("trainee")
        if name is None:
            return None
        uid = row.get("trainee_uid")
        if uid is not None:
            person = self.registry.values.get(uid) or {}
            names = {fold(person.get("name") or ""), fold(person.get("name_latin") or "")}
            if fold(name) not in names:
                run.error(_SPEC, row, "trainee_uid", f"not the UID of a trainee “{name}”")
                return None
            return uid
        found = self.by_name.get(fold(name), [])
        if row.get("nation") is not None:
            nation = run.lookup(_SPEC, row, "nation", "nation")
            if nation is None:
                return None
            found = [u for u in found if self.registry.values[u].get("nation_id") == nation]
        number = row.get("service_number")
        if number is not None:
            found = [
                u
                for u in found
                if fold(self.registry.values[u].get("service_number") or "") == fold(number)
            ]
        if len(found) == 1:
            return found[0]
        if not found:
            run.error(_SPEC, row, "trainee", f"no trainee “{name}” (see Trainees)")
        else:
            run.error(
                _SPEC,
                row,
                "trainee",
                f"{len(found)} trainees are called “{name}”; give the Nation and Service "
                "number of the one meant",
            )
        return None


def work_out_enrolments(run: ImportRun) -> None:
    rows = run.rows(_SPEC.name)
    if not rows:
        return
    events = event_refs(run)
    people = _People(run)
    sheet = KeyedRows(
        run,
        _SPEC,
        Enrolment,
        ("event_id", "trainee_id"),
        (
            Value("status", EnrolmentStatus.NOMINATED.value, nullable=False),
            Value("result_date"),
            Value("certificate_serial"),
            Value("remarks"),
        ),
        {"event_id": TrainingEvent, "trainee_id": Trainee},
    )
    serials: dict[Hashable, Any] = {
        identity: stored["certificate_serial"] for identity, stored in sheet.index.items()
    }
    given_serial: dict[Hashable, ParsedRow] = {}
    labels = {column: key for key, column in _CELLS.items()}
    for row in rows:
        event = None
        if row.get("event") is not None:
            event = events.get(fold(row.values["event"]))
            if event is None:
                run.error(_SPEC, row, "event", f"no event with the Ref “{row.values['event']}”")
        trainee = people.find(run, row)
        if event is None or trainee is None:
            continue
        given = {column: row.values[key] for key, column in _CELLS.items() if row.given(key)}
        identity: Hashable = (event, trainee)
        if "certificate_serial" in given:
            serials[identity] = given["certificate_serial"]
            given_serial[identity] = row
        sheet.apply(row, {"event_id": event, "trainee_id": trainee}, given, labels)
    holders: dict[str, Hashable] = {}
    for identity, serial in serials.items():
        if serial is None:
            continue
        other = holders.setdefault(fold(serial), identity)
        if other != identity:
            mention = given_serial.get(identity) or given_serial.get(other)
            if mention is not None:
                run.error(
                    _SPEC,
                    mention,
                    "certificate",
                    f"certificate “{serial}” is another enrolment's; a serial is given once",
                )


def work_out_partner_responses(run: ImportRun) -> None:
    spec = schema.PARTNER_RESPONSES
    rows = run.rows(spec.name)
    if not rows:
        return
    events = event_refs(run)
    cells = {
        "confirmed_seats": "confirmed_seats",
        "remarks": "remarks",
        "received_at": "received_at",
    }
    sheet = KeyedRows(
        run,
        spec,
        PartnerResponse,
        ("event_id", "partner_code"),
        (Value("confirmed_seats"), Value("remarks"), Value("received_at")),
        {"event_id": TrainingEvent},
    )
    labels = {column: key for key, column in cells.items()}
    for row in rows:
        ref, partner = row.get("event"), row.get("partner")
        if ref is None or partner is None:
            continue
        event = events.get(fold(ref))
        if event is None:
            run.error(spec, row, "event", f"no event with the Ref “{ref}”")
            continue
        seats = row.get("confirmed_seats")
        if seats is not None and seats < 0:
            run.error(spec, row, "confirmed_seats", f"must be at least 0, not {seats}")
            continue
        given = {column: row.values[key] for key, column in cells.items() if row.given(key)}
        sheet.apply(row, {"event_id": event, "partner_code": partner}, given, labels)
