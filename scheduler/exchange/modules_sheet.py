"""``Modules``: where to be on which day for a course held in parts.

A course that moves between a classroom and a field training area, or whose
instructors change between weeks, is one row on the Schedule; here each of
its modules is a row of its own, with its days, venue and people. Written
only when the selection holds such a course. A partner's copy names only the
instructors cleared for release and the place with its nation, as its
Schedule does.
"""

from __future__ import annotations

from typing import Any

from scheduler.exchange.partner_language import ENGLISH, Wording
from scheduler.exchange.rows import EventRow, join_staff
from scheduler.exchange.schedule_sheet import bilingual_columns, with_nation
from scheduler.exchange.sheets import DATETIME, WRAP, Column, PageInfo, TableSheet

MODULES_SHEET = "Modules"
MODULES_MEANING = "Courses held in parts: where to be on which day"
# Widths add up to what prints one page wide at 7 pt or more (page_setup).
COLUMNS = [
    Column("Ref", 12),
    Column("Course title", 16, WRAP),
    Column("Module", 14, WRAP),
    Column("Start", 15, DATETIME),
    Column("End", 15, DATETIME),
    Column("Venue", 16, WRAP),
    Column("Location", 12, WRAP),
    Column("Instructors", 16, WRAP),
]


class ModulesSheet:
    """One row per module of each event that has modules, in the events' order."""

    def __init__(
        self, workbook: Any, page: PageInfo, *, partner: bool, wording: Wording = ENGLISH
    ) -> None:
        self.partner = partner
        bilingual = wording.language is not None
        self.sheet = TableSheet(
            workbook,
            MODULES_SHEET,
            bilingual_columns(COLUMNS, wording),
            page,
            table_name=None if bilingual else "Modules",
            freeze="C2",
        )

    def add(self, row: EventRow) -> None:
        if row.status == "cancelled":  # nowhere to be
            return
        for module in row.modules:
            self.sheet.append(
                [
                    row.ref,
                    row.course_title,
                    module.title,
                    module.start,
                    module.end,
                    with_nation(module.venue_name, module.nation_code),
                    module.venue_location,
                    join_staff(module.staff, releasable_only=self.partner, separator="\n"),
                ]
            )

    def close(self) -> None:
        self.sheet.close()
