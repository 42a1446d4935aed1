"""How the window keeps the process's memory down on a big plan.

Three things, all measured at 100,000 events:

* The plan's conflict engine is half a million long-lived objects. Python's
  cyclic collector walked them all on each full pass (0.15 s, a visible
  stutter on a page switch); ``keep_out_of_collections`` leaves what is
  alive when the engine lands out of those passes.
* A page that lets go of what it loaded (``LazyPage.drop_loaded``) frees it
  to the C allocator, which keeps the pages for reuse: after visiting every
  page the window held 50 MB of freed heap. ``give_back_freed`` hands it to
  the operating system: glibc's ``malloc_trim`` on Linux (about 1 ms), the
  C runtime's ``_heapmin`` on Windows. Elsewhere it does nothing.
* Closing a plan frees its engine and pages; ``tidy_after_close`` collects
  what they leave in cycles and returns the heap.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import logging
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)


def keep_out_of_collections() -> None:
    """Every object alive now (the plan's engine above all, half a million
    objects at 100,000 events) is left out of the cyclic collector's full
    passes. Objects freed by reference counting still go at once (the engine
    holds no cycles). Only the young generations are collected first: a full
    pass here cost every opening of a plan a full pass more."""
    gc.collect(1)
    gc.freeze()


def let_collections_in() -> None:
    """The plan is closed: what was kept out may be collected again."""
    gc.unfreeze()


def tidy_after_close() -> None:
    """Once a closed plan's pages are deleted: collect their reference
    cycles (a closed 100,000-event plan left 11,000 objects, 60 ms) and
    give the heap they held back to the system."""
    gc.collect()
    give_back_freed()


def give_back_freed() -> None:
    """Return the heap freed since the last call to the operating system."""
    release = _releaser()
    if release is not None:
        release()


@functools.cache
def _releaser() -> Callable[[], object] | None:
    """The platform's way to shrink the heap, or None when it has none we know."""
    try:
        if sys.platform.startswith("linux"):
            # glibc's own name (``find_library`` would run ldconfig to say
            # so); musl has another, and no malloc_trim.
            trim = ctypes.CDLL("libc.so.6").malloc_trim
            trim.argtypes = [ctypes.c_size_t]
            return functools.partial(trim, 0)
        if sys.platform == "win32":
            heapmin: Callable[[], object] = ctypes.CDLL("ucrtbase")._heapmin
            return heapmin
    except (OSError, AttributeError) as error:
        log.debug("no way to return freed memory here: %s", error)
    return None
