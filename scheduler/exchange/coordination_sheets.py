"""Readiness as NATO declares it, others who train the partners, and costs, as
sheets: in the master workbook and in the Readiness page's own workbook.

Rows arrive as plain values (``CoordinationBook``); each sheet is a marked,
printable table like every other sheet of the program.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from scheduler.exchange.cover_sheet import CoverFacts, write_cover
from scheduler.exchange.output import PendingFile
from scheduler.exchange.sheets import DATE, NUMBER, WRAP, Column, PageInfo, TableSheet
from scheduler.exchange.workbook_common import generated_note, save_workbook, streamed_workbook

MILESTONES_SHEET = "Milestones"
TASKS_SHEET = "Tasks"
PROVIDERS_SHEET = "Other providers"
OVERLAPS_SHEET = "Overlaps"
COSTS_SHEET = "Costs"
MONEY_FORMAT = "#,##0.00"

MILESTONE_COLUMNS = [
    Column("Capability target", 28, WRAP),
    Column("Unit", 10),
    Column("Evaluation", 20, WRAP),
    Column("Date", 11, DATE),
    Column("Status", 14, WRAP),
    Column("Why", 48, WRAP),
]
TASK_COLUMNS = [
    Column("Capability target", 28, WRAP),
    Column("Collective task", 24, WRAP),
    Column("Rating", 14),
    Column("Rated on", 11, DATE),
    Column("Rated by", 22, WRAP),
    Column("Trained by", 14, WRAP),
    Column("Runs", 40, WRAP),
]
PROVIDER_COLUMNS = [
    Column("Delivered by", 26, WRAP),
    Column("Partner", 8),
    Column("Run", 12),
    Column("Course", 10, WRAP),
    Column("Days", 22, WRAP),
    Column("Units", 30, WRAP),
]
OVERLAP_COLUMNS = [
    Column("Kind", 10),
    Column("Partner", 8),
    Column("Run", 12),
    Column("Delivered by", 18, WRAP),
    Column("Other run", 12),
    Column("Other run by", 18, WRAP),
    Column("Course", 10, WRAP),
    Column("Days", 22, WRAP),
    Column("Why", 24, WRAP),
]
COST_COLUMNS = [
    Column("Totalled by", 10),
    Column("Name", 34, WRAP),
    Column("Planned", 13, NUMBER),
    Column("Actual", 13, NUMBER),
    Column("Actual less its planned", 13, NUMBER),
    Column("Events", 8, NUMBER),
]
SHEETS = (
    (MILESTONES_SHEET, "NATO evaluation milestones, at risk or not, and why"),
    (TASKS_SHEET, "Collective tasks, their ratings and the training that feeds them"),
    (PROVIDERS_SHEET, "Runs other providers deliver to the partners"),
    (OVERLAPS_SHEET, "Overlaps and duplicates with other providers"),
    (COSTS_SHEET, "Planned and actual costs per partner, target and provider"),
)


@dataclass(frozen=True, slots=True)
class CostRow:
    by: str  # "Partner", "Target" or "Provider"
    name: str
    planned: float
    actual: float
    events: int
    difference: float  # actual less what was planned for the lines paid


@dataclass(frozen=True, slots=True)
class CoordinationBook:
    """Rows of ``MILESTONE_COLUMNS``, ``TASK_COLUMNS``, ``PROVIDER_COLUMNS``
    and ``OVERLAP_COLUMNS``, and the cost totals."""

    milestones: tuple[tuple[Any, ...], ...]
    tasks: tuple[tuple[Any, ...], ...]
    others: tuple[tuple[Any, ...], ...]
    overlaps: tuple[tuple[Any, ...], ...]
    costs: tuple[CostRow, ...]


def write_coordination_sheets(workbook: Any, page: PageInfo, book: CoordinationBook) -> None:
    for title, columns, rows in (
        (MILESTONES_SHEET, MILESTONE_COLUMNS, book.milestones),
        (TASKS_SHEET, TASK_COLUMNS, book.tasks),
        (PROVIDERS_SHEET, PROVIDER_COLUMNS, book.others),
        (OVERLAPS_SHEET, OVERLAP_COLUMNS, book.overlaps),
    ):
        sheet = TableSheet(workbook, title, columns, page)
        for row in rows:
            sheet.append(list(row))
        sheet.close()
    costs = TableSheet(workbook, COSTS_SHEET, COST_COLUMNS, page)
    money = costs.style(number_format=MONEY_FORMAT)
    for cost in book.costs:
        costs.append(
            [
                cost.by,
                cost.name,
                money.cell(cost.planned),
                money.cell(cost.actual),
                money.cell(cost.difference),
                cost.events,
            ]
        )
    costs.close()


def write_coordination_workbook(
    target: Path,
    book: CoordinationBook,
    *,
    partner: str | None,
    plan_name: str,
    marking: str,
    now: datetime,
) -> None:
    """The Readiness page's workbook at ``target``, whole or not at all."""
    page = PageInfo(marking, f"Readiness and costs — {plan_name}", generated_note(now))
    with PendingFile(target) as pending, streamed_workbook() as workbook:
        write_cover(
            workbook,
            page,
            CoverFacts(
                heading="Readiness, other providers and costs (internal)",
                plan_name=plan_name,
                partner=partner,
                period=None,
                generated=now,
                marking=marking,
                events=sum(c.events for c in book.costs if c.by == "Provider"),
                courses=(),
                sheets=(("Cover", "This page"), *SHEETS),
            ),
        )
        write_coordination_sheets(workbook, page, book)
        save_workbook(workbook, pending)
        pending.publish()
