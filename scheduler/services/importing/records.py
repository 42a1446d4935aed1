"""Sheets of records with a natural key: nations, qualifications, courses,
units, instructors, venues and capability targets.

Each is one ``RecordKind`` declaration: the sheet, the model, the key
column and, per column, where it goes and what it may hold. Working one
out happens in two passes over every kind, so that any row may point at a
record another row (or another sheet) adds: ``identify`` decides which
record each row is (by UID, else by key; new ones get their uuid), then
``work_out`` turns the cells into column values and keeps only what differs
from the plan.

Matching: a row whose UID is in the plan is that record (its code or name
may change, unless another record has it); otherwise the key decides (the
file's UID is then only used for a new record, which keeps it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast
from zoneinfo import available_timezones

import holidays
from sqlalchemy import Table, select

from scheduler.exchange import import_schema as schema
from scheduler.exchange.import_rows import ParsedRow
from scheduler.exchange.import_schema import SheetSpec
from scheduler.exchange.import_values import coded_dates_text, kit_need_text
from scheduler.model import (
    CapabilityTarget,
    Course,
    CourseKit,
    Instructor,
    InstructorQualification,
    Kit,
    Nation,
    Provider,
    Qualification,
    Record,
    Trainee,
    TraineePosting,
    Unit,
    Venue,
    course_prerequisite,
    course_qualification,
)
from scheduler.model.enums import (
    CourseKind,
    InstructorRole,
    KitKind,
    ProviderKind,
    UnitKind,
    WorkloadPeriod,
)
from scheduler.planning.holiday_regions import HOLIDAY_REGIONS
from scheduler.planning.postings import OVERLAP, first_overlap
from scheduler.services.importing.changeset import Link, LogEntry, Update
from scheduler.services.importing.context import ImportRun, Registry, fold, same_value

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
Check = Callable[[Any], str | None]


def at_least(low: float) -> Check:
    def check(value: Any) -> str | None:
        return f"must be at least {low:g}, not {value:g}" if value < low else None

    return check


def _between(low: float, high: float) -> Check:
    def check(value: Any) -> str | None:
        if low <= value <= high:
            return None
        return f"must be between {low:g} and {high:g}, not {value:g}"

    return check


def _colour(value: Any) -> str | None:
    return None if _COLOUR.match(value) else "is not a colour like #1F77B4"


def _time_zone(value: Any) -> str | None:
    zones = available_timezones()
    if not zones or value in zones:
        return None
    return "is not a time zone of the tz database (e.g. Europe/Skopje, Europe/London)"


def _holiday_calendar(value: Any) -> str | None:
    if value.upper() in holidays.list_supported_countries():
        return None
    return "is not a country the public-holiday calendars know (e.g. MK, GB)"


def _holiday_region(value: Any) -> str | None:
    if any(value == region.code for region in HOLIDAY_REGIONS):
        return None
    return "is not a holiday region: " + ", ".join(f"{r.code} ({r.name})" for r in HOLIDAY_REGIONS)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet: the model column it fills and what it may hold."""

    key: str
    column: str
    link: str | None = None  # the entity whose key the cell names (a foreign key)
    default: Any = None  # a new record's value when the cell is blank
    nullable: bool = True  # may be emptied with the clear marker
    check: Check | None = None


@dataclass(frozen=True, slots=True)
class RecordKind:
    entity: str
    label: str
    spec: SheetSpec
    model: type[Record]
    key: str  # template key of the natural key
    columns: tuple[Column, ...]
    uid: bool = True
    extra: tuple[str, ...] = ()  # stored columns read for other sheets' checks
    unique_key: bool = True  # the plan holds one record per key (a trainee's is not)

    def key_of(self, values: dict[str, Any], run: ImportRun) -> str | None:
        return values.get(self.key)

    def stored_key(self, row: dict[str, Any], run: ImportRun) -> str:
        column = next(c.column for c in self.columns if c.key == self.key)
        return str(row[column])

    def loose_match(
        self, values: dict[str, Any], registry: Registry, run: ImportRun
    ) -> tuple[str | None, str | None]:
        """A stored record a row names without its whole key: (uuid, problem)."""
        return None, None


@dataclass(frozen=True, slots=True)
class TargetKind(RecordKind):
    """Targets are named per unit: the key is the unit and the name together."""

    def key_of(self, values: dict[str, Any], run: ImportRun) -> str | None:
        unit = run.registry("unit").find(values.get("unit"))
        name = values.get("target")
        return target_key(unit, name) if unit and name else None

    def stored_key(self, row: dict[str, Any], run: ImportRun) -> str:
        unit = run_stored(run, "unit").uuid_of(row["unit_id"])
        return target_key(unit or "", row["name"])


def target_key(unit_uuid: str, name: str) -> str:
    return f"{unit_uuid}\x1f{fold(name)}"


@dataclass(frozen=True, slots=True)
class TraineeKind(RecordKind):
    """People are told apart by nation, name and service number together.

    Two people of one nation with one name need a service number each; the
    UID (as ``template --plan`` writes it) finds a person whose name changed.
    """

    def key_of(self, values: dict[str, Any], run: ImportRun) -> str | None:
        nation = run.registry("nation").find(values.get("nation"))
        name = values.get("name")
        return trainee_key(nation, name, values.get("service_number")) if nation and name else None

    def stored_key(self, row: dict[str, Any], run: ImportRun) -> str:
        nation = run_stored(run, "nation").uuid_of(row["nation_id"])
        return trainee_key(nation or "", row["name"], row["service_number"])

    def loose_match(
        self, values: dict[str, Any], registry: Registry, run: ImportRun
    ) -> tuple[str | None, str | None]:
        """A row without a service number is the one stored person of that nation
        and name (whatever their number): a blank cell keeps what the plan holds."""
        nation = run.registry("nation").find(values.get("nation"))
        name = values.get("name")
        if values.get("service_number") is not None or not nation or not name:
            return None, None
        found = [
            uuid
            for uuid, stored in registry.values.items()
            if uuid not in registry.new
            and stored.get("nation_id") == nation
            and fold(str(stored.get("name") or "")) == fold(name)
        ]
        if len(found) > 1:
            return None, (
                f"{len(found)} trainees of {values.get('nation')} are called “{name}”; "
                "give the Service number (or the UID) of the one meant"
            )
        return (found[0] if found else None), None


def trainee_key(nation_uuid: str, name: str, service_number: str | None) -> str:
    return f"{nation_uuid}\x1f{fold(name)}\x1f{fold(service_number or '')}"


NATIONS = RecordKind(
    "nation",
    "nation",
    schema.NATIONS,
    Nation,
    "code",
    (
        Column("code", "code", nullable=False),
        Column("name", "name", nullable=False),
        Column("time_zone", "time_zone", nullable=False, check=_time_zone),
        Column("holiday_calendar", "holiday_calendar", check=_holiday_calendar),
        Column("languages", "languages", default=[]),
        Column("working_weekdays", "working_weekdays", default=[0, 1, 2, 3, 4], nullable=False),
        Column("releasability", "releasability"),
    ),
    uid=False,
)
QUALIFICATIONS = RecordKind(
    "qualification",
    "qualification",
    schema.QUALIFICATIONS,
    Qualification,
    "code",
    (
        Column("code", "code", nullable=False),
        Column("name", "name", nullable=False),
        Column("validity_months", "validity_months", check=at_least(1)),
    ),
)
COURSES = RecordKind(
    "course",
    "course",
    schema.COURSES,
    Course,
    "code",
    (
        Column("code", "code", nullable=False),
        Column("title", "title", nullable=False),
        Column("category", "category", default="General", nullable=False),
        Column("duration_days", "duration_days", default=1, nullable=False, check=at_least(1)),
        Column("daily_hours", "daily_hours", default=7.0, nullable=False, check=_between(0.5, 24)),
        Column("min_trainees", "min_trainees", check=at_least(1)),
        Column("max_trainees", "max_trainees", check=at_least(1)),
        Column("trainees_per_instructor", "trainees_per_instructor", check=at_least(1)),
        Column("language", "language", default="en", nullable=False),
        Column("facilities", "required_facilities", default=[]),
        Column("colour", "colour", check=_colour),
        Column("description", "description"),
        Column("validity_months", "validity_months", check=at_least(1)),
        Column("kind", "kind", default=CourseKind.COURSE.value, nullable=False),
    ),
)
UNITS = RecordKind(
    "unit",
    "unit",
    schema.UNITS,
    Unit,
    "code",
    (
        Column("code", "code", nullable=False),
        Column("name", "name", nullable=False),
        Column("nation", "nation_id", link="nation", nullable=False),
        Column("parent", "parent_id", link="unit"),
        Column("strength", "strength", check=at_least(1)),
        Column("language", "language"),
        Column("kind", "kind", default=UnitKind.BATTALION.value, nullable=False),
        Column("releasability_group", "releasability_group"),
        Column("contact", "contact"),
    ),
)
INSTRUCTORS = RecordKind(
    "instructor",
    "instructor",
    schema.INSTRUCTORS,
    Instructor,
    "name",
    (
        Column("name", "name", nullable=False),
        Column("nation", "nation_id", link="nation"),
        Column("organisation", "organisation"),
        Column("role", "role", default=InstructorRole.INSTRUCTOR.value, nullable=False),
        Column("languages", "languages", default=[]),
        Column("max_training_days", "max_training_days", check=at_least(1)),
        Column("max_training_hours", "max_training_hours", check=_between(0.5, 10_000)),
        Column(
            "workload_period",
            "workload_period",
            default=WorkloadPeriod.MONTH.value,
            nullable=False,
        ),
        Column("releasable", "releasable", default=True, nullable=False),
        Column("contact", "contact"),
    ),
)
VENUES = RecordKind(
    "venue",
    "venue",
    schema.VENUES,
    Venue,
    "name",
    (
        Column("name", "name", nullable=False),
        Column("nation", "nation_id", link="nation", nullable=False),
        Column("capacity", "capacity", check=at_least(1)),
        Column("facilities", "facilities", default=[]),
        Column("location", "location"),
        Column("time_zone", "time_zone", check=_time_zone),
        Column("holiday_region", "holiday_region", check=_holiday_region),
    ),
)
KIT = RecordKind(
    "kit",
    "kit",
    schema.KIT,
    Kit,
    "name",
    (
        Column("name", "name", nullable=False),
        Column("kind", "kind", default=KitKind.EQUIPMENT.value, nullable=False),
        Column("quantity", "quantity", default=1, nullable=False, check=at_least(1)),
        Column("venue", "venue_id", link="venue"),
        Column("nation", "nation_id", link="nation"),
        Column("notes", "notes"),
    ),
)
PROVIDERS = RecordKind(
    "provider",
    "provider",
    schema.PROVIDERS,
    Provider,
    "name",
    (
        Column("name", "name", nullable=False),
        Column("kind", "kind", default=ProviderKind.OTHER.value, nullable=False),
        Column("nation", "nation_id", link="nation"),
        Column("notes", "notes"),
    ),
    uid=False,
)
TARGETS = TargetKind(
    "target",
    "capability target",
    schema.TARGETS,
    CapabilityTarget,
    "target",
    (
        Column("unit", "unit_id", link="unit", nullable=False),
        Column("target", "name", nullable=False),
        Column("due", "due_date"),
        Column("description", "description"),
    ),
)
TRAINEES = TraineeKind(
    "trainee",
    "trainee",
    schema.TRAINEES,
    Trainee,
    "name",
    (
        Column("name", "name", nullable=False),
        Column("name_latin", "name_latin"),
        Column("rank", "rank"),
        Column("nation", "nation_id", link="nation", nullable=False),
        Column("service_number", "service_number"),
        Column("languages", "languages", default=[]),
    ),
    unique_key=False,
)
KINDS: tuple[RecordKind, ...] = (
    NATIONS,
    QUALIFICATIONS,
    COURSES,
    UNITS,
    INSTRUCTORS,
    VENUES,
    KIT,
    PROVIDERS,
    TARGETS,
    TRAINEES,
)
_MODELS = {kind.entity: kind.model for kind in KINDS}


def _stored_columns(kind: RecordKind) -> list[str]:
    names = [c.column for c in kind.columns]
    return names + [name for name in kind.extra if name not in names]


@dataclass(slots=True)
class _Row:
    row: ParsedRow
    uuid: str
    new: bool


@dataclass(slots=True)
class RecordSheets:
    """Works out the record sheets of one import (see the module doc)."""

    run: ImportRun
    matched: dict[str, list[_Row]] = field(default_factory=dict)

    def identify(self) -> None:
        run = self.run
        for kind in KINDS:
            stored = run.stored(kind.model, _stored_columns(kind))
            registry = run.registries[kind.entity] = Registry(kind.model, kind.label)
            for uuid, row in stored.rows.items():
                key = fold(kind.stored_key(row, run))
                if key in registry.keys:
                    registry.shared.add(key)
                registry.keys[key] = uuid
                registry.values[uuid] = self._linked(kind, row)
            self.matched[kind.entity] = self._identify_rows(kind, registry)
            if kind is NATIONS:
                # A nation may be named by its name as well as its code ("North Macedonia").
                for uuid, values in list(registry.values.items()):
                    registry.keys.setdefault(fold(str(values.get("name") or "")), uuid)
                for item in self.matched["nation"]:
                    if item.row.get("name"):
                        registry.keys.setdefault(fold(item.row.values["name"]), item.uuid)

    def _identify_rows(self, kind: RecordKind, registry: Registry) -> list[_Row]:
        run, spec = self.run, kind.spec
        stored = run.stored(kind.model, _stored_columns(kind))
        found: list[_Row] = []
        seen: dict[str, int] = {}
        for row in run.rows(spec.name):
            key = kind.key_of(row.values, run)
            if key is None:
                # A required cell is empty or unreadable (reported already), or a
                # target's unit is unknown (said now).
                if kind is TARGETS and row.get("unit") is not None:
                    run.lookup(spec, row, "unit", "unit")
                if kind is TRAINEES and row.get("nation") is not None:
                    run.lookup(spec, row, "nation", "nation")
                continue
            uid = row.get("uid") if kind.uid else None
            if uid not in stored.rows and fold(key) in registry.shared:
                run.error(
                    spec,
                    row,
                    kind.key,
                    f"the plan has more than one {kind.label} “{_shown(row, kind)}” of this "
                    "nation; give the UID of the one meant",
                )
                continue
            by_key = registry.find(key)
            if by_key is None and uid not in stored.rows:
                by_key, problem = kind.loose_match(row.values, registry, run)
                if problem is not None:
                    run.error(spec, row, kind.key, problem)
                    continue
            if uid is not None and uid in stored.rows:
                uuid = uid
                if by_key is not None and by_key != uid:
                    run.error(
                        spec,
                        row,
                        kind.key,
                        f"“{_shown(row, kind)}” is another {kind.label} than the one of this "
                        "row's UID; change one of them",
                    )
                    continue
            elif by_key is not None and by_key not in registry.new:
                uuid = by_key
            elif uid is not None and not kind.unique_key:
                uuid = ""  # a new one with its own UID, however many share its key
            else:
                uuid = by_key or ""
            # Where the plan allows one key twice (trainees), UIDs tell rows apart.
            same_key = fold(key) in seen and (kind.unique_key or uid is None)
            if uuid in seen or same_key:
                first = seen.get(uuid) or seen.get(fold(key))
                run.error(
                    spec,
                    row,
                    kind.key,
                    f"“{_shown(row, kind)}” is on row {first} already; one row per {kind.label}",
                )
                continue
            new = not uuid
            if new:
                if uid is not None and uid in registry.values:
                    run.error(spec, row, "uid", "this UID is another record's")
                    continue
                uuid = registry.add(key, {}, uid)
            elif fold(key) not in registry.keys:
                registry.keys[fold(key)] = uuid  # renamed: the new key finds it too
            seen[uuid] = seen[fold(key)] = row.number
            found.append(_Row(row, uuid, new))
        return found

    def work_out(self) -> None:
        run = self.run
        for kind in KINDS:
            stored = run.stored(kind.model, _stored_columns(kind))
            for item in self.matched[kind.entity]:
                before = None if item.new else stored.rows[item.uuid]
                values = self._values(kind, item.row, before)
                if values is None:
                    continue
                run.registries[kind.entity].values[item.uuid] = values
                changed = self._record(kind, item, before, values)
                changed = _EXTRAS.get(kind.entity, _no_extra)(self, item, before) or changed
                outcome = "added" if item.new else "changed" if changed else "unchanged"
                run.counts.count(kind.spec.name, outcome)
        self._check_unit_tree()

    def _linked(self, kind: RecordKind, row: dict[str, Any]) -> dict[str, Any]:
        """A stored row with its foreign keys as uuids (what the file's values are)."""
        values = dict(row)
        for column in kind.columns:
            if column.link is not None:
                target = _MODELS[column.link]
                values[column.column] = self.run.stored(
                    target, _stored_columns(_KIND_BY_ENTITY[column.link])
                ).uuid_of(row[column.column])
        return values

    def _values(
        self, kind: RecordKind, row: ParsedRow, before: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        """The record after this row: linked (uuids for foreign keys), or None on errors."""
        run, spec = self.run, kind.spec
        values = (
            self._linked(kind, before)
            if before is not None
            else {c.column: copy(c.default) for c in kind.columns}
        )
        ok = True
        for column in kind.columns:
            if not row.given(column.key):
                continue
            value = row.values[column.key]
            if value is None:
                if not column.nullable:
                    run.error(
                        spec, row, column.key, f"a {kind.label} needs it; it cannot be emptied"
                    )
                    ok = False
                    continue
                values[column.column] = [] if isinstance(column.default, list) else None
                continue
            if column.link is not None:
                value = run.lookup(spec, row, column.key, column.link)
                if value is None:
                    ok = False
                    continue
            elif column.check is not None:
                message = column.check(value)
                if message is not None:
                    run.error(spec, row, column.key, message)
                    ok = False
                    continue
            values[column.column] = value
        low, high = values.get("min_trainees"), values.get("max_trainees")
        if low is not None and high is not None and low > high:
            run.error(spec, row, "max_trainees", f"is below Min trainees ({high} < {low})")
            ok = False
        if kind is KIT and values.get("venue_id") and values.get("nation_id"):
            run.error(spec, row, "nation", "kit has one owner: a venue or a partner, not both")
            ok = False
        return values if ok else None

    def _record(
        self,
        kind: RecordKind,
        item: _Row,
        before: dict[str, Any] | None,
        values: dict[str, Any],
    ) -> bool:
        run = self.run
        columns = {c.column: c for c in kind.columns}
        if before is None:
            insert: dict[str, Any] = {"uuid": item.uuid}
            for name, column in columns.items():
                value = values[name]
                if column.link is not None and value is not None:
                    value = Link(_MODELS[column.link], value)
                insert[name] = value
            run.changes.insert(kind.model, insert)
            return True
        linked_before = self._linked(kind, before)
        changed: dict[str, tuple[Any, Any]] = {}
        for name, column in columns.items():
            if same_value(values[name], linked_before[name]):
                continue
            new = values[name]
            if column.link is not None and new is not None:
                new = Link(_MODELS[column.link], new)
            changed[name] = (before[name], new)
        if changed:
            run.changes.update(
                kind.model, Update(item.uuid, before["id"], before["version_id"], changed)
            )
        return bool(changed)

    def touch(self, kind: RecordKind, item: _Row, before: dict[str, Any] | None) -> None:
        """A new version of an existing record whose children changed."""
        if before is not None:
            self.run.changes.touch(kind.model, item.uuid, before["id"], before["version_id"])

    def _check_unit_tree(self) -> None:
        run = self.run
        registry = run.registry("unit")
        rows = {item.uuid: item.row for item in self.matched["unit"]}
        for uuid, row in rows.items():
            seen = {uuid}
            parent = registry.values.get(uuid, {}).get("parent_id")
            while parent is not None:
                if parent in seen:
                    run.error(
                        UNITS.spec,
                        row,
                        "parent",
                        "makes a circle: a unit cannot sit below itself",
                    )
                    break
                seen.add(parent)
                parent = registry.values.get(parent, {}).get("parent_id")

    # -- children ----------------------------------------------------------------------

    def course_links(self, item: _Row, before: dict[str, Any] | None) -> bool:
        """Required qualifications and prerequisites of a course (association tables)."""
        run, spec = self.run, COURSES.spec
        changed = False
        for key, table, column, entity in (
            ("required_qualifications", course_qualification, "qualification_id", "qualification"),
            ("prerequisites", course_prerequisite, "prerequisite_id", "course"),
        ):
            if not item.row.given(key):
                continue
            wanted: list[str] = []
            for code in item.row.values[key] or []:
                found = run.lookup(spec, item.row, key, entity, code)
                if found is None:
                    continue
                if entity == "course" and found == item.uuid:
                    run.error(spec, item.row, key, "a course cannot be its own prerequisite")
                    continue
                if found not in wanted:
                    wanted.append(found)
            old = self._association(table, column, entity, before)
            if set(old) == set(wanted):
                continue
            children = run.changes.child_rows(table, "course_id", Course)
            children.rows[item.uuid] = [{column: Link(_MODELS[entity], uuid)} for uuid in wanted]
            if before is not None:
                registry = run.registry(entity)
                run.changes.log.append(
                    _list_log(Course, item.uuid, key, old, wanted, registry, _code_of)
                )
            changed = True
        return changed

    def _association(
        self, table: Any, column: str, entity: str, before: dict[str, Any] | None
    ) -> list[str]:
        if before is None:
            return []
        pairs = self._pairs(table, column)
        target = run_stored(self.run, entity)
        return [target.uuid_of(i) or "" for i in pairs.get(before["id"], [])]

    def _pairs(self, table: Any, column: str) -> dict[int, list[int]]:
        cache = self.run.cache.setdefault("pairs", {})
        found = cache.get(table.name)
        if found is None:
            found = {}
            for course_id, other in self.run.session.execute(
                table.select().with_only_columns(table.c.course_id, table.c[column])
            ):
                found.setdefault(course_id, []).append(other)
            cache[table.name] = found
        return found

    def course_kit(self, item: _Row, before: dict[str, Any] | None) -> bool:
        """What each run of a course needs of which kit."""
        run, spec = self.run, COURSES.spec
        if not item.row.given("kit"):
            return False
        wanted: dict[str, tuple[int, int | None]] = {}
        for name, quantity, per in item.row.values["kit"] or []:
            found = run.lookup(spec, item.row, "kit", "kit", name)
            if found is None:
                continue
            if found in wanted:
                run.error(spec, item.row, "kit", f"{name} is listed twice")
                continue
            wanted[found] = (quantity, per)
        old = self._kit_before(before)
        if old == wanted:
            return False
        children = run.changes.child_rows(cast(Table, CourseKit.__table__), "course_id", Course)
        children.rows[item.uuid] = [
            {"kit_id": Link(Kit, uuid), "quantity": quantity, "per_trainees": per}
            for uuid, (quantity, per) in wanted.items()
        ]
        if before is not None:
            kit = run.registry("kit").values

            def text(needs: dict[str, tuple[int, int | None]]) -> str:
                return "; ".join(
                    kit_need_text(_code_of(kit.get(uuid, {})), quantity, per)
                    for uuid, (quantity, per) in needs.items()
                )

            run.changes.log.append(LogEntry("Course", item.uuid, "kit", text(old), text(wanted)))
            self.touch(COURSES, item, before)
        return True

    def _kit_before(self, before: dict[str, Any] | None) -> dict[str, tuple[int, int | None]]:
        if before is None:
            return {}
        needs = self.run.cache.get("course kit")
        if needs is None:
            needs = self.run.cache["course kit"] = {}
            kit = run_stored(self.run, "kit")
            for course_id, kit_id, quantity, per in self.run.session.execute(
                select(
                    CourseKit.course_id,
                    CourseKit.kit_id,
                    CourseKit.quantity,
                    CourseKit.per_trainees,
                ).order_by(CourseKit.id)
            ):
                needs.setdefault(course_id, {})[kit.uuid_of(kit_id) or ""] = (quantity, per)
        result: dict[str, tuple[int, int | None]] = needs.get(before["id"], {})
        return result

    def held_qualifications(self, item: _Row, before: dict[str, Any] | None) -> bool:
        """An instructor's qualifications with expiry and award dates."""
        run, spec = self.run, INSTRUCTORS.spec
        if not item.row.given("qualifications"):
            return False
        wanted: dict[str, tuple[date | None, date | None]] = {}
        for code, expires, awarded in item.row.values["qualifications"] or []:
            found = run.lookup(spec, item.row, "qualifications", "qualification", code)
            if found is None:
                continue
            if found in wanted:
                run.error(spec, item.row, "qualifications", f"{code} is listed twice")
                continue
            if expires is not None and awarded is not None and expires < awarded:
                run.error(spec, item.row, "qualifications", f"{code} expires before it was awarded")
                continue
            wanted[found] = (expires, awarded)
        old = self._held_before(before)
        if old == wanted:
            return False
        children = run.changes.child_rows(
            cast(Table, InstructorQualification.__table__), "instructor_id", Instructor
        )
        children.rows[item.uuid] = [
            {
                "qualification_id": Link(Qualification, uuid),
                "expires_on": expires,
                "awarded_on": awarded,
            }
            for uuid, (expires, awarded) in wanted.items()
        ]
        if before is not None:
            registry = run.registry("qualification")
            run.changes.log.append(
                _list_log(
                    Instructor,
                    item.uuid,
                    "qualifications",
                    sorted(old),
                    sorted(wanted),
                    registry,
                    _code_of,
                )
            )
            self.touch(INSTRUCTORS, item, before)
        return True

    def _held_before(
        self, before: dict[str, Any] | None
    ) -> dict[str, tuple[date | None, date | None]]:
        if before is None:
            return {}
        held = self.run.cache.get("held")
        if held is None:
            held = self.run.cache["held"] = {}
            qualifications = run_stored(self.run, "qualification")
            for instructor_id, qualification_id, expires, awarded in self.run.session.execute(
                select(
                    InstructorQualification.instructor_id,
                    InstructorQualification.qualification_id,
                    InstructorQualification.expires_on,
                    InstructorQualification.awarded_on,
                )
            ):
                held.setdefault(instructor_id, {})[
                    qualifications.uuid_of(qualification_id) or ""
                ] = (expires, awarded)
        result: dict[str, tuple[date | None, date | None]] = held.get(before["id"], {})
        return result

    def postings(self, item: _Row, before: dict[str, Any] | None) -> bool:
        """A trainee's units with their first and last days: the whole history."""
        run, spec = self.run, TRAINEES.spec
        if not item.row.given("postings"):
            return False
        wanted: list[tuple[str, date | None, date | None]] = []
        for code, first, last in item.row.values["postings"] or []:
            unit = run.lookup(spec, item.row, "postings", "unit", code)
            if unit is None:
                continue
            if first is not None and last is not None and last < first:
                run.error(spec, item.row, "postings", f"{code}: the last day is before the first")
                continue
            wanted.append((unit, first, last))
        wanted.sort(key=lambda p: (p[1] or date.min, p[2] or date.max))
        overlap = first_overlap([(first, last) for _unit, first, last in wanted])
        if overlap is not None:
            units = run.registry("unit").values
            a, b = (_code_of(units.get(wanted[i][0], {})) for i in overlap)
            run.error(spec, item.row, "postings", f"{a} and {b} {OVERLAP}")
            return False
        old = self._postings_before(before)
        if old == wanted:
            return False
        children = run.changes.child_rows(
            cast(Table, TraineePosting.__table__), "trainee_id", Trainee
        )
        children.rows[item.uuid] = [
            {"unit_id": Link(Unit, unit), "date_from": first, "date_to": last}
            for unit, first, last in wanted
        ]
        if before is not None:
            units = run.registry("unit").values
            run.changes.log.append(
                LogEntry(
                    "Trainee",
                    item.uuid,
                    "postings",
                    posting_list(old, units),
                    posting_list(wanted, units),
                )
            )
            self.touch(TRAINEES, item, before)
        return True

    def _postings_before(
        self, before: dict[str, Any] | None
    ) -> list[tuple[str, date | None, date | None]]:
        if before is None:
            return []
        found = self.run.cache.get("postings")
        if found is None:
            found = self.run.cache["postings"] = {}
            units = run_stored(self.run, "unit")
            for trainee_id, unit_id, first, last in self.run.session.execute(
                select(
                    TraineePosting.trainee_id,
                    TraineePosting.unit_id,
                    TraineePosting.date_from,
                    TraineePosting.date_to,
                ).order_by(TraineePosting.date_from, TraineePosting.id)
            ):
                found.setdefault(trainee_id, []).append((units.uuid_of(unit_id) or "", first, last))
        result: list[tuple[str, date | None, date | None]] = sorted(
            found.get(before["id"], []), key=lambda p: (p[1] or date.min, p[2] or date.max)
        )
        return result


def posting_list(
    postings: list[tuple[str, date | None, date | None]], units: dict[str, dict[str, Any]]
) -> str:
    """Postings as the Units cell writes them, for the change log."""
    return "; ".join(
        coded_dates_text(_code_of(units.get(unit, {})), first, last)
        for unit, first, last in postings
    )


def _shown(row: ParsedRow, kind: RecordKind) -> str:
    return str(row.get(kind.key, ""))


def _code_of(values: dict[str, Any]) -> str:
    return str(values.get("code") or values.get("name") or "")


def _list_log(
    model: type[Record],
    uuid: str,
    field_name: str,
    old: list[str],
    new: list[str],
    registry: Registry,
    name: Callable[[dict[str, Any]], str],
) -> Any:
    def text(uuids: list[str]) -> str:
        return "; ".join(name(registry.values.get(u, {})) for u in uuids)

    return LogEntry(model.__name__, uuid, field_name, text(old), text(new))


def run_stored(run: ImportRun, entity: str) -> Any:
    kind = _KIND_BY_ENTITY[entity]
    return run.stored(kind.model, _stored_columns(kind))


def _no_extra(_sheets: RecordSheets, _item: _Row, _before: dict[str, Any] | None) -> bool:
    return False


_KIND_BY_ENTITY = {kind.entity: kind for kind in KINDS}


def _course_extras(sheets: RecordSheets, item: _Row, before: dict[str, Any] | None) -> bool:
    linked = sheets.course_links(item, before)
    kit = sheets.course_kit(item, before)  # both run: each reports its own errors
    return linked or kit


_EXTRAS: dict[str, Callable[[RecordSheets, _Row, dict[str, Any] | None], bool]] = {
    "course": _course_extras,
    "instructor": RecordSheets.held_qualifications,
    "trainee": RecordSheets.postings,
}
