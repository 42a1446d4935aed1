"""What the plan remembers beyond its records: conflicts a planner accepted,
and the schedules sent to partners (what the next "changes since" compares
with). ``template --plan`` writes them so a plan survives its own template;
a person rarely types them, and they are matched by what identifies them
(the conflict and its fingerprint; the release's UID) so that importing
the same file twice adds nothing.
"""

from __future__ import annotations

from typing import Any

from scheduler.exchange import import_schema as schema
from scheduler.model import ConflictAcceptance, Release
from scheduler.services.importing.changeset import Update
from scheduler.services.importing.context import ImportRun, fold
from scheduler.services.importing.periods import KeyedRows, Value

_ACCEPTANCE_CELLS = {
    "rule": "rule",
    "events": "event_uuids",
    "reason": "reason",
    "by": "accepted_by",
    "at": "accepted_at",
}
_RELEASE_CELLS = {
    "partner": "partner_code",
    "at": "released_at",
    "by": "released_by",
    "start": "period_start",
    "end": "period_end",
    "file": "file_name",
    "hash": "file_hash",
    "marking": "marking",
    "names_sent": "names_sent",
}
# A new release's values where its row leaves a cell blank.
_NEW_RELEASE: dict[str, Any] = {
    "snapshot": [],
    "period_start": None,
    "period_end": None,
    "names_sent": None,
}
SNAPSHOT_KEYS = ("uuid", "ref", "course", "title", "start", "end", "status", "venue")
_SNAPSHOT_CELLS = ("uid", "ref", "course", "title", "start", "end", "status", "venue")


def work_out_acceptances(run: ImportRun) -> None:
    spec = schema.ACCEPTANCES
    rows = run.rows(spec.name)
    if not rows:
        return
    sheet = KeyedRows(
        run,
        spec,
        ConflictAcceptance,
        ("conflict_key", "fingerprint"),
        (
            Value("rule", nullable=False),
            Value("event_uuids", [], nullable=False),
            Value("reason", nullable=False),
            Value("accepted_by", nullable=False),
            Value("accepted_at", nullable=False),
        ),
        {},
    )
    labels = {column: key for key, column in _ACCEPTANCE_CELLS.items()}
    for row in rows:
        if row.get("conflict") is None or row.get("fingerprint") is None:
            continue
        given = {c: row.values[k] for k, c in _ACCEPTANCE_CELLS.items() if row.given(k)}
        if "event_uuids" in given and given["event_uuids"] is None:
            given["event_uuids"] = []
        key = {"conflict_key": row.values["conflict"], "fingerprint": row.values["fingerprint"]}
        sheet.apply(row, key, given, labels)


def work_out_releases(run: ImportRun) -> None:
    spec = schema.RELEASES
    rows = run.rows(spec.name)
    if not rows:
        _contents_without_release(run)
        return
    stored = run.stored(Release, [*_RELEASE_CELLS.values(), "snapshot"])
    contents = _contents(run)
    seen: dict[str, int] = {}
    for row in rows:
        number = row.get("release")
        if number is None:
            continue
        if fold(number) in seen:
            run.error(spec, row, "release", f"“{number}” is on row {seen[fold(number)]} already")
            continue
        seen[fold(number)] = row.number
        given: dict[str, Any] = {
            c: row.values[k] for k, c in _RELEASE_CELLS.items() if row.given(k)
        }
        snapshot = contents.pop(fold(number), None)
        if snapshot is not None:
            given["snapshot"] = snapshot
        uid = row.get("uid")
        before = stored.rows.get(uid) if uid is not None else None
        if before is None:
            run.changes.insert(
                Release,
                {"uuid": uid, **_NEW_RELEASE, **given} if uid else {**_NEW_RELEASE, **given},
            )
            run.counts.count(spec.name, "added")
            continue
        changed = {c: (before[c], v) for c, v in given.items() if v != before[c]}
        if changed:
            run.changes.update(
                Release, Update(uid or "", before["id"], before["version_id"], changed)
            )
        run.counts.count(spec.name, "changed" if changed else "unchanged")
    for number, _entries in contents.items():
        first = _first_row(run, number)
        if first is not None:
            run.error(
                schema.RELEASED_EVENTS,
                first,
                "release",
                f"no release “{first.values['release']}” on the Releases sheet",
            )


def _contents(run: ImportRun) -> dict[str, list[dict[str, str]]]:
    """Released events by release number, as each release's snapshot."""
    found: dict[str, list[dict[str, str]]] = {}
    for row in run.rows(schema.RELEASED_EVENTS.name):
        number = row.get("release")
        if number is None or row.get("uid") is None:
            continue
        entry = {
            key: str(row.values.get(cell) or "")
            for key, cell in zip(SNAPSHOT_KEYS, _SNAPSHOT_CELLS, strict=True)
        }
        found.setdefault(fold(number), []).append(entry)
    return found


def _first_row(run: ImportRun, number: str) -> Any:
    for row in run.rows(schema.RELEASED_EVENTS.name):
        if row.get("release") is not None and fold(row.values["release"]) == number:
            return row
    return None


def _contents_without_release(run: ImportRun) -> None:
    for number in _contents(run):
        row = _first_row(run, number)
        run.error(
            schema.RELEASED_EVENTS,
            row,
            "release",
            f"no release “{row.values['release']}” on the Releases sheet",
        )
