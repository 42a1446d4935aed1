"""Printable reports: what a page shows, built as plain data without Qt.

Each module turns a Session and a few parameters into dataclasses (pages,
rows, cells) that ``scheduler.reports.render`` paints onto a PDF writer or a
printer. Keeping the content apart from the drawing lets the content be
tested (and timed) without Qt, and lets one painter serve PDF, preview and
print alike.
"""
