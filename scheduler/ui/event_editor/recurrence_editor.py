"""The recurrence part of the event editor: a rule built from choices, or typed.

Daily, weekly (on chosen weekdays) and monthly (on the start's day of the
month, or its "second Tuesday") cover what planners ask for; anything else
is typed as RRULE text. The preview lists the next dates as the engine
expands them (``planning.recurrence.expand``), so what the planner sees is
what is materialised. Emits ``changed()`` on every edit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QWidget,
)

from scheduler.planning.recurrence import (
    WEEKDAYS,
    RecurrenceError,
    RecurrenceRule,
    Series,
    describe,
    expand,
    parse_rule,
    validate_exdates,
)
from scheduler.planning.wording import date_format
from scheduler.ui.qt_dates import to_qdate

PREVIEW = 8
_DAY_LABELS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def preview_dates(
    rule: str, dtstart: datetime, exdates: list[str], count: int = PREVIEW
) -> list[datetime]:
    """The first ``count`` occurrence starts, as the engine expands them."""
    series = Series(rule, dtstart, timedelta(seconds=1), validate_exdates(exdates))
    return [o.start for o in expand(series, dtstart, dtstart + timedelta(days=366 * 5))][:count]


class RecurrenceEditor(QGroupBox):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Repeats", parent)
        self.setObjectName("recurrence")
        self.setCheckable(True)
        self.setChecked(False)
        self.start = datetime.now().replace(hour=8, minute=30, second=0, microsecond=0)
        form = QFormLayout(self)
        self.frequency = QComboBox(self)
        self.frequency.setObjectName("recurrence_frequency")
        for label, value in (
            ("Daily", "DAILY"),
            ("Weekly", "WEEKLY"),
            ("Monthly", "MONTHLY"),
            ("Custom RRULE", "CUSTOM"),
        ):
            self.frequency.addItem(label, value)
        self.interval = QSpinBox(self)
        self.interval.setObjectName("recurrence_interval")
        self.interval.setRange(1, 52)
        self.interval.setPrefix("every ")
        row = QHBoxLayout()
        row.addWidget(self.frequency)
        row.addWidget(self.interval)
        form.addRow("Frequency", row)
        self.weekdays = [QCheckBox(label, self) for label in _DAY_LABELS]
        days = QHBoxLayout()
        for box in self.weekdays:
            days.addWidget(box)
        self.weekday_row = QWidget(self)
        self.weekday_row.setLayout(days)
        form.addRow("On", self.weekday_row)
        self.monthly = QComboBox(self)
        self.monthly.setObjectName("recurrence_monthly")
        form.addRow("Monthly on", self.monthly)
        self.custom = QLineEdit(self)
        self.custom.setObjectName("recurrence_rule")
        self.custom.setPlaceholderText("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH")
        form.addRow("RRULE", self.custom)
        self.end_kind = QComboBox(self)
        self.end_kind.setObjectName("recurrence_end")
        self.end_kind.addItem("Never (materialised a year ahead)", "never")
        self.end_kind.addItem("Until", "until")
        self.end_kind.addItem("After", "count")
        self.until = QDateEdit(self)
        self.until.setObjectName("recurrence_until")
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.count = QSpinBox(self)
        self.count.setObjectName("recurrence_count")
        self.count.setRange(1, 500)
        self.count.setValue(10)
        self.count.setSuffix(" times")
        end = QHBoxLayout()
        for widget in (self.end_kind, self.until, self.count):
            end.addWidget(widget)
        form.addRow("Ends", end)
        self.exceptions = QLineEdit(self)
        self.exceptions.setObjectName("recurrence_exceptions")
        self.exceptions.setPlaceholderText("Dates left out: 2027-04-14; 2027-05-01")
        form.addRow("Except", self.exceptions)
        self.summary = QLabel(self)
        self.summary.setObjectName("recurrence_summary")
        self.summary.setWordWrap(True)
        form.addRow(self.summary)
        self.preview = QListWidget(self)
        self.preview.setObjectName("recurrence_preview")
        self.preview.setMaximumHeight(120)
        form.addRow("Next dates", self.preview)
        for signal in (
            self.frequency.currentIndexChanged,
            self.interval.valueChanged,
            self.monthly.currentIndexChanged,
            self.custom.textChanged,
            self.end_kind.currentIndexChanged,
            self.until.dateChanged,
            self.count.valueChanged,
            self.exceptions.textChanged,
            self.toggled,
        ):
            signal.connect(self._edited)
        for box in self.weekdays:
            box.toggled.connect(self._edited)
        self._loading = False
        self.set_start(self.start)

    # --- values ------------------------------------------------------------------
    def set_start(self, start: datetime) -> None:
        """The first occurrence (the event's start): monthly choices and preview follow it."""
        self.start = start
        self._loading = True
        current = self.monthly.currentIndex()
        self.monthly.clear()
        nth = (start.day - 1) // 7 + 1
        last = (start + timedelta(days=7)).month != start.month
        self.monthly.addItem(f"day {start.day}", "day")
        self.monthly.addItem(f"the {_ordinal(nth)} {date_format(start, '%A')}", "nth")
        if last:
            self.monthly.addItem(f"the last {date_format(start, '%A')}", "last")
        self.monthly.setCurrentIndex(max(min(current, self.monthly.count() - 1), 0))
        if not any(box.isChecked() for box in self.weekdays):
            self.weekdays[start.weekday()].setChecked(True)
        if self.until.date() < to_qdate(start):
            later = start.date() + timedelta(days=180)
            self.until.setDate(to_qdate(later))
        self._loading = False
        self._edited()

    def set_rule(self, text: str | None, exdates: list[str]) -> None:
        """Show a stored rule (custom when the choices cannot express it)."""
        self._loading = True
        self.setChecked(bool(text))
        self.exceptions.setText(
            "; ".join(
                x[:10] if x.endswith(self.start.strftime("T%H:%M:%S")) else x for x in exdates
            )
        )
        if text:
            rule = parse_rule(text)
            self.custom.setText(rule.to_text())
            self.frequency.setCurrentIndex(self.frequency.findData(self._simple_kind(rule)))
            self.interval.setValue(rule.interval)
            if rule.freq == "WEEKLY":
                for index, box in enumerate(self.weekdays):
                    box.setChecked(any(d == index for d, _ in rule.byday))
            if rule.count is not None:
                self.end_kind.setCurrentIndex(2)
                self.count.setValue(rule.count)
            elif rule.until is not None:
                self.end_kind.setCurrentIndex(1)
                until = rule.until.date() if isinstance(rule.until, datetime) else rule.until
                self.until.setDate(to_qdate(until))
            else:
                self.end_kind.setCurrentIndex(0)
        self._loading = False
        self._edited()

    def _simple_kind(self, rule: RecurrenceRule) -> str:
        if rule.bysetpos or rule.wkst or (rule.bymonthday and rule.freq != "MONTHLY"):
            return "CUSTOM"
        if rule.freq == "DAILY" and not rule.byday:
            return "DAILY"
        if rule.freq == "WEEKLY" and all(n is None for _, n in rule.byday):
            return "WEEKLY"
        if rule.freq == "MONTHLY" and len(rule.byday) + len(rule.bymonthday) == 1:
            return "MONTHLY"
        return "CUSTOM"

    def rule_text(self) -> str | None:
        """The rule as RRULE text, None when the event does not repeat.

        Raises RecurrenceError (a UserError) for a rule that cannot be read.
        """
        if not self.isChecked():
            return None
        kind = self.frequency.currentData()
        if kind == "CUSTOM":
            return parse_rule(self.custom.text().strip()).to_text()
        parts = [f"FREQ={kind}"]
        if self.interval.value() > 1:
            parts.append(f"INTERVAL={self.interval.value()}")
        if kind == "WEEKLY":
            days = [WEEKDAYS[i] for i, box in enumerate(self.weekdays) if box.isChecked()]
            parts.append("BYDAY=" + ",".join(days or [WEEKDAYS[self.start.weekday()]]))
        elif kind == "MONTHLY":
            how = self.monthly.currentData()
            day = WEEKDAYS[self.start.weekday()]
            if how == "nth":
                parts.append(f"BYDAY={(self.start.day - 1) // 7 + 1}{day}")
            elif how == "last":
                parts.append(f"BYDAY=-1{day}")
            else:
                parts.append(f"BYMONTHDAY={self.start.day}")
        end = self.end_kind.currentData()
        if end == "until":
            until = self.until.date()
            parts.append(f"UNTIL={until.year():04d}{until.month():02d}{until.day():02d}T235959")
        elif end == "count":
            parts.append(f"COUNT={self.count.value()}")
        return parse_rule(";".join(parts)).to_text()

    def exdates(self) -> list[str]:
        """Exception dates as stored: the occurrence's exact start when a day is given."""
        found = []
        for part in self.exceptions.text().replace(",", ";").split(";"):
            text = part.strip()
            if not text:
                continue
            value = validate_exdates([text])[0]
            if not isinstance(value, datetime):
                value = datetime.combine(value, self.start.time())
            found.append(value.isoformat())
        return found

    # --- feedback ----------------------------------------------------------------
    def _edited(self) -> None:
        if self._loading:
            return
        kind = self.frequency.currentData()
        self.weekday_row.setVisible(kind == "WEEKLY")
        self.monthly.setEnabled(kind == "MONTHLY")
        self.custom.setReadOnly(kind != "CUSTOM")
        self.interval.setEnabled(kind != "CUSTOM")
        self.until.setVisible(self.end_kind.currentData() == "until")
        self.count.setVisible(self.end_kind.currentData() == "count")
        self.preview.clear()
        try:
            text = self.rule_text()
            if text is None:
                self.summary.setText("Does not repeat.")
            else:
                if kind != "CUSTOM":
                    self.custom.blockSignals(True)
                    self.custom.setText(text)
                    self.custom.blockSignals(False)
                dates = preview_dates(text, self.start, self.exdates())
                self.summary.setText(describe(text))
                for moment in dates:
                    self.preview.addItem(f"{date_format(moment, '%a %d %b %Y %H:%M')}")
        except RecurrenceError as exc:
            self.summary.setText(f"⚠ {exc}")
        self.changed.emit()

    def preview_texts(self) -> list[str]:
        return [self.preview.item(i).text() for i in range(self.preview.count())]


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n, f"{n}th")
