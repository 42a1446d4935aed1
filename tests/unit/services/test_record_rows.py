"""Record lists are read as columns, not as ORM objects: what each cell says
must still be what the record says, read the plain way, for every kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from scheduler.services import entity_specs
from scheduler.services.entity_specs import EntitySpec, FieldKind, spec_for
from scheduler.services.tables import Row, display, record_rows
from scheduler.storage import PlanAccess, open_plan

LISTED = [
    spec
    for spec in vars(entity_specs).values()
    if isinstance(spec, EntitySpec) and spec.table_fields
]


def _name(record: Any, kind: str | None) -> str:
    if record is None:
        return ""
    return " ".join(
        str(getattr(record, n) or "") for n in spec_for(kind or "").label_fields
    ).strip()


def _as_objects(session: Any, spec: EntitySpec) -> list[Row]:
    """The rows as the records' own attributes give them."""
    rows = []
    for record in session.scalars(select(spec.model).order_by(spec.model.id)):
        cells = []
        for field in spec.table_fields:
            value = getattr(record, field.name)
            if field.kind is FieldKind.REF:
                cells.append(_name(value, field.ref))
            elif field.kind is FieldKind.MANY:
                cells.append("; ".join(sorted(_name(item, field.ref) for item in value)))
            else:
                cells.append(display(field, value))
        parent_field = spec.extra.get("tree_parent")
        parent = getattr(record, parent_field) if parent_field else None
        facets = {
            f.name: cells[n]
            for n, f in enumerate(spec.table_fields)
            if f.name in spec.filter_fields
        }
        rows.append(
            Row(
                record.uuid,
                tuple(cells),
                " ".join(cells).casefold(),
                facets,
                parent.uuid if parent is not None else None,
                record.version_id,
            )
        )
    return rows


@pytest.mark.parametrize("spec", LISTED, ids=lambda spec: spec.model.__name__)
def test_every_kinds_rows_say_what_its_records_say(demo_plan_path: Path, spec: EntitySpec) -> None:
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        read = record_rows(session, spec)
        assert read == _as_objects(session, spec)
    assert read  # the demo plan has records of every listed kind
