"""Printable reports: what a page shows, built as plain data without Qt.

Each module turns plain rows (read from the plan by
``scheduler.services.report_rows``) and a few parameters into dataclasses
(pages, rows, cells) that ``scheduler.reports.render`` paints onto a PDF
writer or a printer. Nothing here reads the plan or the preferences: the
marking and the working week come resolved, so the same content can be
tested (and timed) without a plan or Qt, and one painter serves PDF,
preview and print alike. ``services.reports`` puts the two together.
"""
