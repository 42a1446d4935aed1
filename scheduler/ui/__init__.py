"""The window (PySide6). The only package that imports Qt; it talks to
``scheduler.services``, never to SQL directly."""
