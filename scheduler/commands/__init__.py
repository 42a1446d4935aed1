"""Subcommands of ``training-scheduler``: each module registers its own parsers.

A module exposes ``register(subparsers)``; each parser it adds sets
``handler=fn`` where ``fn(args) -> int`` returns the exit code. Raising
``UserError`` gives a plain message on stderr and exit code 2.
"""
