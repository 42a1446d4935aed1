"""Files that leave or enter the plan: Excel workbooks, CSV, iCalendar. No Qt.

Formats only, from and to plain rows (``rows.py``): the writers are handed
what ``scheduler.services`` read from the plan (counts, periods, and rows
as generators that read a chunk at a time) and write it through streaming
writers, so a 100,000-event plan exports in flat memory; the readers parse
untrusted files into typed rows that ``services.importing`` checks against
the plan. Nothing here opens a session. Text written to a workbook always
goes through ``cells`` so that nothing a planner or a partner typed can
become a formula.
"""
