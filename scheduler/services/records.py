"""Create, read, update and delete any record described by an EntitySpec.

Values cross this boundary as plain Python: text, numbers, dates, enum
values as text, other records as their uuid, collections as lists of dicts.
Everything is keyed by uuid, never by integer id, so an undone delete brings
back the very same record (same uuid, same ref) and later undo steps that
name it still find it.

Validation returns every problem at once, keyed by field (``"code"``,
``"qualifications[1].expires_on"``), in words shown next to the field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import set_committed_value

from scheduler.errors import UserError
from scheduler.model import Course, Nation, Qualification, Record, TrainingEvent, utc_now
from scheduler.model.enums import CourseKind
from scheduler.model.languages import accepted_languages, language_code
from scheduler.planning.holiday_regions import region_name, regions_of
from scheduler.planning.postings import OVERLAP, first_overlap
from scheduler.planning.weekdays import parse_weekdays
from scheduler.services import series_membership
from scheduler.services.changes import Changes
from scheduler.services.entity_specs import (
    ChildSpec,
    EntitySpec,
    FieldKind,
    FieldSpec,
    spec_for,
    usage_checks,
)
from scheduler.services.event_modules import MODULES, assign_modules, clean_modules, module_values

Values = dict[str, Any]
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class ValidationError(UserError):
    """Values that cannot be saved; ``problems`` maps field -> message."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


@dataclass(frozen=True, slots=True)
class Saved:
    uuid: str
    changes: Changes


# --- converting values --------------------------------------------------------


def parse_value(spec: FieldSpec, raw: Any) -> Any:
    """Turn typed-in text (or an already typed value) into the field's value.

    Raises ValueError with a message for the planner.
    """
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            raw = None
    if raw is None:
        return [] if spec.kind in (FieldKind.LIST, FieldKind.MANY, FieldKind.WEEKDAYS) else None
    kind = spec.kind
    if kind in (FieldKind.TEXT, FieldKind.MULTILINE):
        return str(raw)
    if kind is FieldKind.INT:
        if isinstance(raw, bool):
            raise ValueError("Enter a whole number.")
        try:
            return int(raw) if not isinstance(raw, float) or raw.is_integer() else _fail()
        except (TypeError, ValueError):
            raise ValueError("Enter a whole number.") from None
    if kind is FieldKind.FLOAT:
        try:
            return float(str(raw).replace(",", "."))
        except ValueError:
            raise ValueError("Enter a number.") from None
    if kind is FieldKind.BOOL:
        if isinstance(raw, bool):
            return raw
        return str(raw).lower() in {"1", "yes", "true", "y"}
    if kind is FieldKind.DATE:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            raise ValueError("Enter a date as YYYY-MM-DD.") from None
    if kind is FieldKind.DATETIME:
        if isinstance(raw, datetime):
            return raw
        if isinstance(raw, date):
            return datetime(raw.year, raw.month, raw.day)
        try:
            return datetime.fromisoformat(str(raw))
        except ValueError:
            raise ValueError("Enter a date and time as YYYY-MM-DD HH:MM.") from None
    if kind is FieldKind.CHOICE:
        value = raw.value if isinstance(raw, Enum) else str(raw)
        if value not in {v for v, _ in spec.choices}:
            raise ValueError("Choose one of the listed values.")
        return value
    if kind is FieldKind.LIST:
        items = raw if isinstance(raw, list | tuple) else str(raw).split(";")
        return [str(item).strip() for item in items if str(item).strip()]
    if kind is FieldKind.MANY:
        return [str(item) for item in raw]
    if kind is FieldKind.WEEKDAYS:
        if isinstance(raw, list | tuple | set | frozenset):
            days = sorted({int(day) for day in raw})
            if any(not 0 <= day <= 6 for day in days):
                raise ValueError("Days of the week run from 0 (Monday) to 6 (Sunday).")
            return days
        return parse_weekdays(str(raw))
    return str(raw)  # REF: a uuid


def _fail() -> int:
    raise ValueError


def _value_of(obj: Record, spec: FieldSpec) -> Any:
    value = getattr(obj, spec.name)
    if spec.kind is FieldKind.REF:
        return value.uuid if value is not None else None
    if spec.kind is FieldKind.MANY:
        return [item.uuid for item in value]
    if spec.kind in (FieldKind.LIST, FieldKind.WEEKDAYS):
        return list(value or [])
    if isinstance(value, Enum):
        return value.value
    return value


def read_values(session: Session, spec: EntitySpec, uuid: str) -> Values:
    """The record's values as the editor shows them (children included)."""
    obj = _get(session, spec, uuid)
    values: Values = {f.name: _value_of(obj, f) for f in spec.fields}
    for child in spec.children:
        values[child.name] = [
            {"uuid": row.uuid, **{f.name: _value_of(row, f) for f in child.fields}}
            for row in getattr(obj, child.name)
        ]
    if spec.key == "event":
        values[MODULES] = module_values(obj)
    values["uuid"] = obj.uuid
    # The version the planner saw: an edit based on it is refused if another
    # planner has changed the record since (see ``update``).
    values["version_id"] = obj.version_id
    return values


def label_of(obj: Record, spec: EntitySpec) -> str:
    return " ".join(str(getattr(obj, name) or "") for name in spec.label_fields).strip()


def reference_choices(session: Session, key: str) -> list[tuple[str, str]]:
    """(uuid, label) of every record of an entity, sorted for a picker."""
    spec = spec_for(key)
    model = spec.model
    columns = [getattr(model, name) for name in spec.label_fields]
    rows = session.execute(select(model.uuid, *columns)).all()
    choices = [(row[0], " ".join(str(v or "") for v in row[1:]).strip()) for row in rows]
    return sorted(choices, key=lambda c: c[1].casefold())


# --- validation ---------------------------------------------------------------


def _validate_fields(
    session: Session,
    fields: tuple[FieldSpec, ...],
    raw: Values,
    prefix: str,
    problems: dict[str, str],
) -> Values:
    clean: Values = {}
    for spec in fields:
        key = f"{prefix}{spec.name}"
        try:
            value = parse_value(spec, raw.get(spec.name))
        except ValueError as exc:
            problems[key] = str(exc)
            continue
        if value in (None, "", []) and spec.default is not None:
            default = spec.default
            value = list(default) if isinstance(default, tuple) else default
        if spec.required and value in (None, "", []):
            problems[key] = f"{spec.label} is needed."
            continue
        if spec.language and value:
            value, unknown = _language_codes(value)
            if unknown:
                problems[key] = (
                    f"“{unknown}” is not a language of the plan. Use a code or a name: "
                    f"{accepted_languages()}."
                )
                continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            if spec.minimum is not None and value < spec.minimum:
                problems[key] = f"Must be at least {spec.minimum:g}."
                continue
            if spec.maximum is not None and value > spec.maximum:
                problems[key] = f"Must be at most {spec.maximum:g}."
                continue
        if spec.kind is FieldKind.REF and value is not None:
            ref_model = spec_for(spec.ref or "").model
            if session.scalar(select(ref_model.id).where(ref_model.uuid == value)) is None:
                problems[key] = f"Choose a {spec_for(spec.ref or '').singular} from the list."
                continue
        clean[spec.name] = value
    return clean


def _language_codes(value: Any) -> tuple[Any, str | None]:
    """Language names as codes ("English" -> "en"); the first unknown one, if any."""
    items = value if isinstance(value, list) else [value]
    codes = []
    for item in items:
        code = language_code(str(item))
        if code is None:
            return value, str(item)
        codes.append(code)
    return (codes if isinstance(value, list) else codes[0]), None


def _check_unique(
    session: Session, spec: EntitySpec, clean: Values, uuid: str | None, problems: dict[str, str]
) -> None:
    for field in spec.fields:
        value = clean.get(field.name)
        if not field.unique or value in (None, ""):
            continue
        column = getattr(spec.model, field.name)
        query = select(spec.model.uuid).where(func.lower(column) == str(value).lower())
        other = session.scalar(query)
        if other is not None and other != uuid:
            problems[field.name] = (
                f"Another {spec.singular} already has this {field.label.lower()}."
            )


def _check_rules(spec: EntitySpec, clean: Values, problems: dict[str, str]) -> None:
    """Rules that involve more than one field."""
    low, high = clean.get("min_trainees"), clean.get("max_trainees")
    if low is not None and high is not None and low > high:
        problems["max_trainees"] = "Must not be below the minimum."
    if spec.key == "event":
        start, end = clean.get("start"), clean.get("end")
        if start is not None and end is not None and end <= start:
            problems["end"] = "Must be after the start."
        attended, passed = clean.get("attended"), clean.get("passed")
        if attended is not None and passed is not None and passed > attended:
            problems["passed"] = "Cannot be more than attended."

    colour = clean.get("colour")
    if colour and not _COLOUR.match(colour):
        problems["colour"] = "Use the form #RRGGBB, e.g. #1F77B4."


def _expiry_from_validity(session: Session, row: Values) -> None:
    """A held qualification awarded on a date, with no expiry typed, expires
    when its qualification's validity runs out (the planner need not count
    months; a typed expiry is kept)."""
    awarded, qualification = row.get("awarded_on"), row.get("qualification")
    if "expires_on" not in row or row["expires_on"] is not None or awarded is None:
        return
    months = session.scalar(
        select(Qualification.validity_months).where(Qualification.uuid == qualification)
    )
    if months:
        row["expires_on"] = awarded + relativedelta(months=months)


def validate(session: Session, spec: EntitySpec, raw: Values, uuid: str | None = None) -> Values:
    """Clean values, or ValidationError naming every problem."""
    problems: dict[str, str] = {}
    clean = _validate_fields(session, spec.fields, raw, "", problems)
    _check_unique(session, spec, clean, uuid, problems)
    _check_rules(spec, clean, problems)
    if uuid is not None and clean.get("parent") == uuid:
        problems["parent"] = "A unit cannot be its own parent."
    if uuid is not None and spec.key == "course" and uuid in (clean.get("prerequisites") or []):
        # It would give two warnings on every event of it that nothing can resolve.
        problems["prerequisites"] = "A course cannot be its own prerequisite."
    for child in spec.children:
        rows = []
        for index, row in enumerate(raw.get(child.name) or []):
            prefix = f"{child.name}[{index}]."
            cleaned = _validate_fields(session, child.fields, row, prefix, problems)
            first, last = cleaned.get("start_date"), cleaned.get("end_date")
            if first is not None and last is not None and last < first:
                problems[f"{prefix}end_date"] = "Must not be before the start."
            _expiry_from_validity(session, cleaned)
            if row.get("uuid"):
                cleaned["uuid"] = row["uuid"]
            rows.append(cleaned)
        clean[child.name] = rows
    if spec.key == "event":
        _attendance_within_seats(clean, problems)
        _seats_unless_exercise(session, clean, problems)
        if MODULES in raw:
            clean[MODULES] = clean_modules(
                session, raw[MODULES] or [], clean.get("start"), clean.get("end"), problems
            )
    if spec.key == "target":
        _requirements_name_courses(session, clean, problems)
    if spec.key == "trainee":
        _one_unit_at_a_time(clean, problems)
    if spec.key == "venue":
        _region_of_its_nation(session, clean, problems)
    if spec.key == "kit" and clean.get("venue") and clean.get("nation"):
        problems["nation"] = "Kit has one owner: a venue or a partner, not both."
    if spec.key == "course":
        _each_kit_once(clean, problems)
    if problems:
        raise ValidationError(problems)
    return clean


def _region_of_its_nation(session: Session, clean: Values, problems: dict[str, str]) -> None:
    """A venue's holiday region must lie in its nation: Republika Srpska's
    holidays mean nothing for a venue in Albania."""
    region, nation = clean.get("holiday_region"), clean.get("nation")
    if not region or not nation:
        return
    found = session.execute(
        select(Nation.name, Nation.code, Nation.holiday_calendar).where(Nation.uuid == nation)
    ).first()
    if found is None:
        return
    name, code, calendar = found
    if region_name(calendar or code, region) is None:
        offered = [r.name for r in regions_of(calendar or code)]
        choose = f": choose {' or '.join(offered)}, or leave it empty." if offered else "."
        problems["holiday_region"] = f"That region is not in {name}{choose}"


def _each_kit_once(clean: Values, problems: dict[str, str]) -> None:
    """A course lists each kit once: two lines of one kit would be added up
    by no one and refused by the plan."""
    seen: set[str] = set()
    for index, row in enumerate(clean.get("kit") or []):
        if row.get("kit") in seen:
            problems[f"kit[{index}].kit"] = "This kit is listed already: change its number there."
        seen.add(row.get("kit"))


def _one_unit_at_a_time(clean: Values, problems: dict[str, str]) -> None:
    postings = clean.get("postings") or []
    for index, row in enumerate(postings):
        first, last = row.get("date_from"), row.get("date_to")
        if first is not None and last is not None and last < first:
            problems[f"postings[{index}].date_to"] = "Must not be before the start."
            return
    overlap = first_overlap([(row.get("date_from"), row.get("date_to")) for row in postings])
    if overlap is not None:
        problems[f"postings[{overlap[1]}].date_from"] = f"These two postings {OVERLAP}."


def _attendance_within_seats(clean: Values, problems: dict[str, str]) -> None:
    """Readiness counts the people trained: more than the event's seats would
    count people no seat was planned for (a slip of the keyboard, usually)."""
    attended = clean.get("attended")
    seats = sum(row.get("seats") or 0 for row in clean.get("audience") or [])
    if attended is not None and seats and attended > seats and "attended" not in problems:
        problems["attended"] = (
            f"Cannot be more than the event's {seats} seats; add the seats to its audience first."
        )


def _exercise_uuids(session: Session, uuids: set[Any]) -> set[str]:
    return set(
        session.scalars(
            select(Course.uuid).where(
                Course.uuid.in_([u for u in uuids if u]), Course.kind == CourseKind.EXERCISE
            )
        )
    )


def _seats_unless_exercise(session: Session, clean: Values, problems: dict[str, str]) -> None:
    """Units take part in an exercise without seats; a course's seats are the
    people it trains, so a unit on a course has at least one."""
    course = clean.get("course")
    if course in _exercise_uuids(session, {course}):
        return
    for index, row in enumerate(clean.get("audience") or []):
        key = f"audience[{index}].seats"
        if row.get("seats") == 0 and key not in problems:
            problems[key] = (
                "A unit on a course has at least one seat; only an exercise takes units "
                "without seats."
            )


def _requirements_name_courses(session: Session, clean: Values, problems: dict[str, str]) -> None:
    """An exercise trains a unit's collective tasks, not people: it fills no
    requirement's seats, so naming it there would never be met."""
    rows = clean.get("requirements") or []
    exercises = _exercise_uuids(session, {row.get("course") for row in rows})
    for index, row in enumerate(rows):
        if row.get("course") in exercises:
            problems[f"requirements[{index}].course"] = (
                "An exercise trains a unit's collective tasks, not people: name it on a "
                "task instead."
            )


# --- writing ------------------------------------------------------------------


def _get(session: Session, spec: EntitySpec, uuid: str) -> Any:
    obj = session.scalar(select(spec.model).where(spec.model.uuid == uuid))
    if obj is None:
        raise UserError(
            f"This {spec.singular} no longer exists (another planner may have deleted it)."
        )
    return obj


def _resolve(session: Session, key: str | None, uuid: str | None) -> Any:
    if uuid is None:
        return None
    model = spec_for(key or "").model
    return session.scalar(select(model).where(model.uuid == uuid))


def _assign(session: Session, obj: Any, fields: tuple[FieldSpec, ...], clean: Values) -> None:
    for spec in fields:
        if spec.name not in clean:
            continue
        value = clean[spec.name]
        if spec.kind is FieldKind.REF:
            value = _resolve(session, spec.ref, value)
        elif spec.kind is FieldKind.MANY:
            value = [_resolve(session, spec.ref, u) for u in value]
        elif spec.kind in (FieldKind.TEXT, FieldKind.MULTILINE) and value is None:
            column = obj.__table__.c[spec.name]
            value = None if column.nullable else ""
        if getattr(obj, spec.name) != value:
            setattr(obj, spec.name, value)


def _assign_children(session: Session, obj: Any, child: ChildSpec, rows: list[Values]) -> None:
    current = {row.uuid: row for row in getattr(obj, child.name)}
    kept = []
    for values in rows:
        row = current.get(values.get("uuid", "")) if values.get("uuid") else None
        if row is None:
            row = child.model()
            if values.get("uuid"):
                row.uuid = values["uuid"]
        _assign(session, row, child.fields, values)
        kept.append(row)
    setattr(obj, child.name, kept)


def _changes(spec: EntitySpec, obj: Any) -> Changes:
    if isinstance(obj, TrainingEvent) and obj.id is not None:
        return Changes.of(spec.key, event_ids=frozenset({obj.id}))
    return Changes.of(spec.key)


def create(session: Session, spec: EntitySpec, raw: Values, *, uuid: str | None = None) -> Saved:
    clean = validate(session, spec, raw)
    obj = spec.model()
    if uuid:
        obj.uuid = uuid
    # The new record joins the session only once whole: looking up a later
    # field's records must not flush it half-filled (a task before its target).
    with session.no_autoflush:
        _assign(session, obj, spec.fields, clean)
        for child in spec.children:
            _assign_children(session, obj, child, clean[child.name])
        if MODULES in clean and isinstance(obj, TrainingEvent):
            assign_modules(session, obj, clean[MODULES])
    session.add(obj)
    session.flush()
    return Saved(obj.uuid, _changes(spec, obj))


def update(
    session: Session,
    spec: EntitySpec,
    uuid: str,
    raw: Values,
    *,
    expected_version: int | None = None,
) -> Saved:
    """Change a record. With ``expected_version`` (the version the planner's
    values were read at), an edit of a record changed since is refused
    (``expect_version``)."""
    clean = validate(session, spec, raw, uuid)
    obj = _get(session, spec, uuid)
    expect_version(obj, expected_version)
    _assign(session, obj, spec.fields, clean)
    for child in spec.children:
        if child.name in raw:
            _assign_children(session, obj, child, clean[child.name])
    if MODULES in clean:
        assign_modules(session, obj, clean[MODULES])
    session.flush()
    return Saved(obj.uuid, _changes(spec, obj))


# session.info key: {(table, id): version} of the rows this window's own
# edits left (the document's ledger), set by the UI's undo step.
OWN_VERSIONS = "own_versions"


def _own_newer(obj: Record, expected_version: int) -> bool:
    """Whether the screen is only behind this window's own later edit.

    A list reloads on a worker after an edit; a second click before the
    reload lands carries the version the list still shows. When the row is
    at the version this window itself left it, and that is newer than the
    one shown, nobody else changed it: the edit goes ahead.
    """
    session = object_session(obj)
    own = session.info.get(OWN_VERSIONS, {}) if session is not None else {}
    current = obj.version_id
    return expected_version < current and own.get((obj.__tablename__, obj.id)) == current


def expect_version(obj: Record, expected_version: int | None) -> None:
    """Make the next write of ``obj`` succeed only while it is at ``expected_version``.

    The loaded version is replaced by the expected one and the row is always
    written, so the UPDATE's (or DELETE's) ``WHERE version_id = expected``
    matches nothing when someone else got there first, even between our read
    and our write: the flush raises StaleDataError, which ``Plan.session``
    turns into a StaleEditError naming who changed what. None: no check.
    """
    if expected_version is None:
        return
    if obj.version_id != expected_version and not _own_newer(obj, expected_version):
        set_committed_value(obj, "version_id", expected_version)
    obj.updated_at = utc_now()


def _still_used(session: Session, spec: EntitySpec, obj: Any) -> str | None:
    uses = []
    for check in usage_checks(spec.key):
        count = session.scalar(select(func.count()).where(check.pointer() == obj.id))
        if count:
            # Labels are regular plurals ("events", "sub-units").
            uses.append(f"{count} {check.label if count != 1 else check.label[:-1]}")
    if not uses:
        return None
    return (
        f"“{label_of(obj, spec)}” is still used by {' and '.join(uses)}. "
        "Change or delete those first."
    )


def delete_refusal(session: Session, spec: EntitySpec, uuids: Sequence[str]) -> str | None:
    """Why these records cannot be deleted (the first in use), before asking
    the planner to confirm a delete that would only be refused."""
    for uuid in uuids:
        refusal = _still_used(session, spec, _get(session, spec, uuid))
        if refusal:
            return refusal
    return None


def delete(
    session: Session, spec: EntitySpec, uuid: str, *, expected_version: int | None = None
) -> Saved:
    obj = _get(session, spec, uuid)
    expect_version(obj, expected_version)
    refusal = _still_used(session, spec, obj)
    if refusal:
        raise UserError(refusal)
    changes = _changes(spec, obj)
    # One occurrence of a series becomes an exception of it (see series_membership).
    if isinstance(obj, TrainingEvent) and series_membership.leave_series(session, obj):
        changes = changes | Changes.of("series")
    session.delete(obj)
    session.flush()
    return Saved(uuid, changes)


def snapshot(session: Session, spec: EntitySpec, uuid: str) -> Values:
    """Everything needed to bring a deleted record back (same uuid, children,
    and an event's place in its series)."""
    values = read_values(session, spec, uuid)
    if spec.model is TrainingEvent:
        values.update(series_membership.place_of(_get(session, spec, uuid)))
    return values


def restore(session: Session, spec: EntitySpec, values: Values) -> Saved:
    """Recreate a record from its snapshot (undo of a delete).

    It comes back with the version it had, so later undo steps that were
    based on that version still find the record as they left it.
    """
    saved = create(session, spec, values, uuid=values["uuid"])
    if spec.model is TrainingEvent and series_membership.rejoin_series(
        session, _get(session, spec, saved.uuid), values
    ):
        saved = Saved(saved.uuid, saved.changes | Changes.of("series"))
    version = values.get("version_id")
    if isinstance(version, int):
        model = spec.model
        session.execute(
            sql_update(model)
            .where(model.uuid == saved.uuid)
            .values(version_id=version)
            .execution_options(synchronize_session=False)
        )
        obj = _get(session, spec, saved.uuid)
        set_committed_value(obj, "version_id", version)
    return saved
