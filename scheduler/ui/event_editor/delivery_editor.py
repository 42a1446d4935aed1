"""The event editor's "Delivery and costs" tab: who delivers the event, its
funding line, and its costs by kind, planned and actual."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from scheduler.services.entity_specs import ChildSpec, spec_for
from scheduler.services.records import Values, reference_choices
from scheduler.services.training_runs import THE_CELL
from scheduler.ui.dialogs.record_editor import ChildTable
from scheduler.ui.document import PlanDocument


def _costs_spec() -> ChildSpec:
    return next(c for c in spec_for("event").children if c.name == "costs")


class DeliveryEditor(QWidget):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("delivery")
        self.provider = QComboBox(self)
        self.provider.setObjectName("provider")
        self.provider.addItem(THE_CELL, None)
        for uuid, label in document.read(lambda s: reference_choices(s, "provider")):
            self.provider.addItem(label, uuid)
        self.provider.setToolTip(
            "Another provider's event needs only its course, unit, dates and place; "
            "the conflict check leaves its staffing and kit to them"
        )
        self.funding_line = QLineEdit(self)
        self.funding_line.setObjectName("funding_line")
        self.funding_line.setPlaceholderText("e.g. UK Integrated Security Fund")
        self.costs = ChildTable(_costs_spec(), {}, self)
        note = QLabel("Amounts in the cell's accounting currency.", self)
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Delivered by", self.provider)
        form.addRow("Funding line", self.funding_line)
        form.addRow("Costs", self.costs)
        form.addRow("", note)

    def set_values(self, values: Values) -> None:
        self.provider.setCurrentIndex(max(self.provider.findData(values.get("provider")), 0))
        self.funding_line.setText(values.get("funding_line") or "")
        self.costs.set_rows(list(values.get("costs") or []))

    def values(self) -> Values:
        return {
            "provider": self.provider.currentData(),
            "funding_line": self.funding_line.text().strip() or None,
            "costs": self.costs.rows(),
        }
