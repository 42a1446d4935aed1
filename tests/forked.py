"""Work in a forked child process, to kill it with SIGKILL at a chosen moment.

The libraries are already loaded in the child, so twenty kills take seconds.
"""

from __future__ import annotations

import os
from collections.abc import Callable


def fork(work: Callable[[], object]) -> int:
    """Start ``work`` in a child; its pid. The child exits 0 when ``work`` returns."""
    pid = os.fork()
    if pid == 0:  # the child: do the work, never return into pytest
        code = 0
        try:
            work()
        except BaseException:
            code = 1
        os._exit(code)
    return pid
