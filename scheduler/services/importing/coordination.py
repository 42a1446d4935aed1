"""The Milestones, Collective tasks and Costs sheets: lists that belong to a
capability target (milestones, tasks) or to an event (costs).

Like Modules, the rows naming one target (or one event's Ref) are its
complete list and replace what it has; a target or event the sheet does not
name keeps its own, and a list that comes out as it was writes nothing. A
list's rows are compared as plain tuples, so a re-import of the same file
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, select

from scheduler.exchange import import_schema as schema
from scheduler.exchange.import_rows import ParsedRow
from scheduler.exchange.import_schema import SheetSpec
from scheduler.model import (
    CapabilityTarget,
    CollectiveTask,
    Course,
    EvaluationMilestone,
    EventCost,
    Record,
    TrainingEvent,
    task_course,
)
from scheduler.model.base import new_uuid
from scheduler.model.enums import CostKind, MilestoneResult, TaskRating
from scheduler.services.importing.changeset import Link, LogEntry
from scheduler.services.importing.context import ImportRun, fold
from scheduler.services.importing.enrolments import event_refs
from scheduler.services.importing.records import target_key

Item = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class _Owned:
    """One sheet of lists: whose they are, how a row reads and how a list is written."""

    spec: SheetSpec
    owner: type[Record]
    owner_of: Callable[[ImportRun, ParsedRow], str | None]  # the owner's uuid, or an error
    item_of: Callable[[ImportRun, ParsedRow], Item | None]  # a row as compared, or an error
    stored: Callable[[ImportRun], dict[str, list[Item]]]  # owner uuid -> its list
    write: Callable[[ImportRun, str, list[Item]], None]
    text: Callable[[Item], str]  # an item in the change log
    field: str  # the owner's field the change log names


def _work_out(run: ImportRun, sheet: _Owned) -> None:
    rows = run.rows(sheet.spec.name)
    if not rows:
        return
    wanted: dict[str, list[Item]] = {}
    broken: set[str] = set()
    for row in rows:
        owner = sheet.owner_of(run, row)
        if owner is None:
            continue
        item = sheet.item_of(run, row)
        if item is None:
            broken.add(owner)
            continue
        wanted.setdefault(owner, []).append(item)
    stored = sheet.stored(run)
    for owner, items in wanted.items():
        if owner in broken:
            continue
        old = stored.get(owner, [])
        if sorted(items, key=repr) == sorted(old, key=repr):
            run.counts.count(sheet.spec.name, "unchanged")
            continue
        sheet.write(run, owner, items)
        run.changes.log.append(
            LogEntry(
                sheet.owner.__name__,
                owner,
                sheet.field,
                "; ".join(map(sheet.text, old)),
                "; ".join(map(sheet.text, items)),
            )
        )
        run.touch(sheet.owner, owner)  # sync sees the owner changed
        run.counts.count(sheet.spec.name, "changed" if old else "added")


def _by_owner(run: ImportRun, model: type[Record], rows: Sequence[Any]) -> dict[str, list[Item]]:
    """(owner id, *item) rows as owner uuid -> items."""
    found: dict[str, list[Item]] = {}
    for owner_id, *item in rows:
        uuid = run.uuid_of(model, owner_id)
        if uuid is not None:
            found.setdefault(uuid, []).append(tuple(item))
    return found


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)


# -- targets' milestones and tasks ----------------------------------------------------------


def _target(spec: SheetSpec) -> Callable[[ImportRun, ParsedRow], str | None]:
    def owner_of(run: ImportRun, row: ParsedRow) -> str | None:
        if row.get("unit") is None or row.get("target") is None:
            return None
        unit = run.lookup(spec, row, "unit", "unit")
        if unit is None:
            return None
        found = run.registry("target").find(target_key(unit, row.values["target"]))
        if found is None:
            run.error(
                spec,
                row,
                "target",
                f"{row.values['unit']} has no capability target “{row.values['target']}” "
                "(add it on Targets)",
            )
        return found

    return owner_of


def _milestone(run: ImportRun, row: ParsedRow) -> Item | None:
    if row.get("kind") is None or row.get("day") is None:
        return None
    result = row.get("result") or MilestoneResult.PENDING.value
    return (row.values["kind"], row.values["day"], result, row.get("notes"))


def _stored_milestones(run: ImportRun) -> dict[str, list[Item]]:
    m = EvaluationMilestone
    rows = run.session.execute(select(m.target_id, m.kind, m.day, m.result, m.notes)).all()
    return _by_owner(
        run, CapabilityTarget, [(t, _plain(k), d, _plain(r), n) for t, k, d, r, n in rows]
    )


def _write_milestones(run: ImportRun, target: str, items: list[Item]) -> None:
    table = cast(Table, EvaluationMilestone.__table__)
    run.changes.child_rows(table, "target_id", CapabilityTarget).rows[target] = [
        {"uuid": new_uuid(), "kind": kind, "day": day, "result": result, "notes": notes}
        for kind, day, result, notes in sorted(items, key=lambda item: item[1])
    ]


def _milestone_text(item: Item) -> str:
    kind, day, result, _notes = item
    return f"{kind.upper()} {day:%Y-%m-%d} ({str(result).replace('_', ' ')})"


def _task(run: ImportRun, row: ParsedRow) -> Item | None:
    spec = schema.TASKS
    name = row.get("name")
    if name is None:
        return None
    courses: list[str] = []
    ok = True
    for code in row.get("courses") or []:
        found = run.lookup(spec, row, "courses", "course", code)
        if found is None:
            ok = False
        elif found not in courses:
            courses.append(found)
    if not ok:
        return None
    rating = row.get("rating") or TaskRating.UNTRAINED.value
    return (name, rating, row.get("rated_on"), row.get("rating_source"), tuple(sorted(courses)))


def _stored_tasks(run: ImportRun) -> dict[str, list[Item]]:
    t = CollectiveTask
    courses: dict[int, list[str]] = {}
    for task_id, course_id in run.session.execute(
        select(task_course.c.task_id, task_course.c.course_id)
    ):
        courses.setdefault(task_id, []).append(run.uuid_of(Course, course_id) or "")
    rows = run.session.execute(
        select(t.target_id, t.id, t.name, t.rating, t.rated_on, t.rating_source)
    ).all()
    return _by_owner(
        run,
        CapabilityTarget,
        [
            (target, name, _plain(rating), rated_on, source, tuple(sorted(courses.get(ident, []))))
            for target, ident, name, rating, rated_on, source in rows
        ],
    )


def _write_tasks(run: ImportRun, target: str, items: list[Item]) -> None:
    tasks = run.changes.child_rows(
        cast(Table, CollectiveTask.__table__), "target_id", CapabilityTarget
    )
    links = run.changes.child_rows(task_course, "task_id", CollectiveTask)
    rows = []
    for name, rating, rated_on, source, courses in items:
        uuid = new_uuid()
        rows.append(
            {"uuid": uuid, "name": name, "rating": rating, "rated_on": rated_on,
             "rating_source": source}
        )  # fmt: skip
        links.rows[uuid] = [{"course_id": Link(Course, course)} for course in courses]
    tasks.rows[target] = rows


def _task_text(item: Item) -> str:
    return f"{item[0]} ({str(item[1]).replace('_', ' ')})"


# -- events' costs ----------------------------------------------------------------------


def _event(run: ImportRun, row: ParsedRow) -> str | None:
    ref = row.get("event")
    if ref is None:
        return None
    refs = run.cache.get("coordination refs")
    if refs is None:
        refs = run.cache["coordination refs"] = event_refs(run)
    found = refs.get(fold(ref))
    if found is None:
        run.error(schema.COSTS, row, "event", f"no event with the Ref “{ref}”")
    return cast(str | None, found)


def _cost(run: ImportRun, row: ParsedRow) -> Item | None:
    ok = True
    for key in ("planned", "actual"):
        value = row.get(key)
        if value is not None and value < 0:
            run.error(schema.COSTS, row, key, f"must be at least 0, not {value:g}")
            ok = False
    if not ok:
        return None
    kind = row.get("kind") or CostKind.OTHER.value
    return (kind, _money(row.get("planned")), _money(row.get("actual")), row.get("note"))


def _money(value: float | None) -> float | None:
    """Amounts as the plan keeps them: to the cent (a cell may hold more digits)."""
    return None if value is None else round(float(value), 2)


def _stored_costs(run: ImportRun) -> dict[str, list[Item]]:
    c = EventCost
    rows = run.session.execute(select(c.event_id, c.kind, c.planned, c.actual, c.note)).all()
    return _by_owner(
        run,
        TrainingEvent,
        [(e, _plain(k), _money(p), _money(a), n) for e, k, p, a, n in rows],
    )


def _write_costs(run: ImportRun, event: str, items: list[Item]) -> None:
    table = cast(Table, EventCost.__table__)
    run.changes.child_rows(table, "event_id", TrainingEvent).rows[event] = [
        {"uuid": new_uuid(), "kind": kind, "planned": planned, "actual": actual, "note": note}
        for kind, planned, actual, note in items
    ]


def _cost_text(item: Item) -> str:
    kind, planned, actual, _note = item
    text = f"{kind} {planned if planned is not None else '—'}"
    return text + (f" (actual {actual})" if actual is not None else "")


_SHEETS = (
    _Owned(
        schema.MILESTONES,
        CapabilityTarget,
        _target(schema.MILESTONES),
        _milestone,
        _stored_milestones,
        _write_milestones,
        _milestone_text,
        "milestones",
    ),
    _Owned(
        schema.TASKS,
        CapabilityTarget,
        _target(schema.TASKS),
        _task,
        _stored_tasks,
        _write_tasks,
        _task_text,
        "tasks",
    ),
    _Owned(
        schema.COSTS,
        TrainingEvent,
        _event,
        _cost,
        _stored_costs,
        _write_costs,
        _cost_text,
        "costs",
    ),
)


def work_out_coordination(run: ImportRun) -> None:
    """Milestones, then tasks, then costs (each sheet on its own)."""
    for sheet in _SHEETS:
        _work_out(run, sheet)


__all__ = ["work_out_coordination"]
