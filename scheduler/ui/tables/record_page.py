"""A page listing one kind of record whose rows it holds (hundreds, not
100,000: those are ``EventsPage``'s), with its own fast search and sort.

Rows come from ``scheduler.services.tables`` as plain values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from scheduler.planning.wording import shown_of
from scheduler.services.entity_specs import EntitySpec
from scheduler.services.tables import Row, record_rows
from scheduler.ui.document import PlanDocument
from scheduler.ui.lazy_page import LONG_LIST
from scheduler.ui.tables.list_page import ListPage, editor_choices
from scheduler.ui.tables.row_model import RowTableModel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from scheduler.reports.listing import Listing

__all__ = ["RecordPage", "editor_choices"]


class RecordPage(ListPage):
    """Lists the records of one EntitySpec, all of them held as rows."""

    model: RowTableModel

    def __init__(
        self,
        document: PlanDocument,
        spec: EntitySpec,
        headers: tuple[str, ...] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self._headers = headers or tuple(f.label for f in spec.table_fields)
        super().__init__(document, spec, parent)

    def make_model(self) -> RowTableModel:
        return RowTableModel(self._headers, self, numeric_columns=self.numeric_columns())

    def row_loader(self) -> Callable[[Session], list[Row]]:
        """What reads the rows; built on the GUI thread, may run on another."""
        spec = self.spec
        return lambda session: record_rows(session, spec)

    def uuid_at(self, row: int) -> str:
        return self.model.uuid_at(row)

    def facet_values(self, name: str) -> list[str]:
        return self.model.facet_values(name)

    def reload(self) -> None:
        selected = self.selected_uuids()
        loader = self.row_loader()
        generation = self.start_load()
        self.mark_fresh()  # a reload is under way; changes meanwhile start another

        def load(session: Session) -> tuple[list[Row], dict[str, list[str]] | None]:
            return loader(session), self.facet_choices(session)

        def done(result: tuple[list[Row], dict[str, list[str]] | None]) -> None:
            if not self.is_current(generation):
                return  # a newer reload was started meanwhile
            self._show_rows(result[0], result[1], selected)

        self.loading = True
        done(self.document.read(load))  # a short list: read at once, shown with the page

    def drop_loaded(self) -> bool:
        """A long list (the named trainees of a big plan) lets go of its rows while
        hidden; a short one keeps them, it costs nothing to hold."""
        if len(self.model.rows) < LONG_LIST:
            return False
        self.model.set_rows([])
        return True

    def _show_rows(
        self, rows: list[Row], choices: dict[str, list[str]] | None, selected: list[str]
    ) -> None:
        self.loading = False
        self.model.set_rows(rows)
        self._refresh_filter_values(choices)
        self.apply_filter()
        self.select_uuids(selected)
        self._read_shown(bool(rows))

    def apply_filter(self) -> None:
        self.model.set_filter(self.search.text(), self.current_facets())
        self._update_count()

    def printable_listing(self) -> Listing:
        """File ▸ Print…'s "This list as shown": these rows, columns and order."""
        from scheduler.ui.printable import listing_of_view

        words = self.filter_words()
        scope = f"filtered from {len(self.model.rows):,} — {', '.join(words)}" if words else ""
        return listing_of_view(
            self.list_view(), self.spec.title, scope=scope, noun=self.spec.singular
        )

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), len(self.model.rows)
        self.count_label.setText(shown_of(shown, total))

    # --- selection
    def selected_uuids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.uuid_at(r) for r in rows if r < self.model.rowCount()]

    def selected_versions(self) -> dict[str, int]:
        """uuid -> the version each selected row shows (what an edit of them expects)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        found: dict[str, int] = {}
        for row in rows:
            if row < self.model.rowCount():
                version = self.model.version_at(row)
                if version is not None:
                    found[self.model.uuid_at(row)] = version
        return found

    def select_uuids(self, uuids: list[str]) -> None:
        """Select these records' rows (all of them: a reload keeps a multiple selection)."""
        model = self.model
        wanted = set(uuids)
        self.select_rows(
            [p for p, i in enumerate(model.visible) if model.rows[i].uuid in wanted]
            if wanted
            else []
        )
