"""Files that leave or enter the plan: Excel workbooks, CSV, iCalendar. No Qt.

Everything here reads the plan through plain column queries and writes
through streaming writers, so a 100,000-event plan exports in flat memory.
Text written to a workbook always goes through ``cells`` so that nothing a
planner or a partner typed can become a formula.
"""
