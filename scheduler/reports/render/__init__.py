"""Painting reports onto paper: the one part outside ``scheduler.ui`` that uses Qt.

Only QtGui (and QtCore beneath it) is imported here, never QtWidgets, so a
PDF can be written on a server with no display (``QT_QPA_PLATFORM=offscreen``)
and from a worker thread. The same painters serve a QPdfWriter (export) and
a QPrinter (print and preview): both are QPagedPaintDevices.
"""
