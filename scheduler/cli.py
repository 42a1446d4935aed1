"""The ``training-scheduler`` command: the GUI, or a subcommand for scripts.

``training-scheduler [PLAN]`` and ``--demo`` open the window; the first word
being a subcommand (``new``, ``demo``, ``info``, ``check`` …) runs it
without Qt. Exit codes: 0 done, 1 the command found problems (conflicts,
import errors), 2 bad arguments or an unusable file, 3 a bug (logged).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import re
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from scheduler import APP_ID, __version__
from scheduler.errors import UserError

# Modules under scheduler/commands that register subcommands, in help order.
COMMAND_MODULES = (
    "plan_file",
    "plan_copy",
    "plan_sync",
    "plan_restore",
    "planning",
    "exchange",
    "reports",
    "personal_data",
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
log = logging.getLogger(__name__)


def _masked(text: str) -> str:
    """``text`` with the password of every URL in it masked (imported late: start-up time)."""
    try:
        from scheduler.storage.location import mask_secrets
    except Exception:  # a broken installation: hide whatever stands before any "@"
        return re.sub(r"://\S*@", "://***@", text)
    return mask_secrets(text)


class _Parser(argparse.ArgumentParser):
    """argparse, with the message in front and no usage dump after it."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse quotes what was typed ("unrecognized arguments: …"): mask URLs' passwords.
        message = _masked(message)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n(see “{self.prog} --help”)\n")


def _command_parser() -> tuple[argparse.ArgumentParser, set[str]]:
    parser = _Parser(prog=APP_ID, description="Training Scheduler commands.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"scheduler.commands.{name}").register(subparsers)
    return parser, set(subparsers.choices)


def _gui_parser(command_names: set[str]) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=APP_ID,
        description="Plan partner training. Without a command, opens the window.",
        epilog="commands: "
        + ", ".join(sorted(command_names))
        + f" (“{APP_ID} COMMAND --help” for each)",
    )
    # Text, not Path: a server URL's "//" must survive (Path would fold it).
    parser.add_argument("plan", nargs="?", help="plan file (or shared plan URL) to open")
    parser.add_argument("--demo", action="store_true", help="open the demo plan (made if needed)")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation (demo plan, window, exports) offscreen and exit",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    from scheduler.app_log import setup_logging

    log_path = setup_logging()
    _sweep_interrupted_exports()
    try:
        parser, names = _command_parser()
        if args_list and args_list[0] in names:
            args = parser.parse_args(args_list)
            return int(args.handler(args))
        gui_args = _gui_parser(names).parse_args(args_list)
        if gui_args.self_test:
            # Qt is imported inside the self-test's steps: a broken install
            # is reported as a failed step, not as an import error here.
            from scheduler.ui.self_test import run_self_test

            return run_self_test()
        return run_gui(gui_args.plan, demo=gui_args.demo)
    except UserError as exc:
        # Messages show URLs masked already; this is the net under them.
        print(f"{APP_ID}: {_masked(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{APP_ID}: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``… | head``): not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:
        # The arguments and the driver's messages in the traceback may hold a
        # URL with its password: the log gets them masked.
        log.error(
            "unexpected error running %s\n%s",
            _masked(repr(args_list)),
            _masked("".join(traceback.format_exception(exc)).rstrip()),
        )
        where = (
            f"The details are in {log_path}"
            if log_path is not None
            else "No log could be written (the program's folder cannot be written)."
        )
        print(
            f"{APP_ID}: something went wrong inside the program ({type(exc).__name__}). "
            f"Your plan is safe. {where}",
            file=sys.stderr,
        )
        return EXIT_BUG


def _sweep_interrupted_exports() -> None:
    """What exports killed earlier left beside their outputs goes at start-up."""
    try:
        from scheduler.exchange.output import sweep_interrupted_exports

        sweep_interrupted_exports()
    except (UserError, OSError, ImportError):
        pass  # housekeeping: never stop the program over it


def run_gui(plan: str | None, *, demo: bool) -> int:
    """Open the window; ``plan`` is a file path or a shared plan's URL."""
    try:
        from scheduler.ui.app import run
    except ImportError as exc:
        raise UserError(
            f"The window cannot start: {exc}. Reinstall Training Scheduler "
            "(its Qt libraries are missing)."
        ) from exc
    from scheduler.storage.location import is_server_url

    return run(plan if plan is None or is_server_url(plan) else Path(plan), demo=demo)


def gui_main() -> int:
    """Entry point of the windowed launcher (no console on Windows)."""
    return main()


if __name__ == "__main__":
    sys.exit(main())
