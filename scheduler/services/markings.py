"""The protective marking a file or a printout carries.

One rule for partner workbooks and printed reports alike: the marking the
planner typed, or else the planner's default (settings, ``OFFICIAL`` when
none); a partner's file then keeps that partner's releasability caveat
("RELEASABLE TO MKD") unless the marking already names a releasability,
which is how a planner replaces the caveat: explicitly, by typing one.
Typing ``OFFICIAL-SENSITIVE`` for North Macedonia therefore prints
``OFFICIAL-SENSITIVE RELEASABLE TO MKD``, never a file without its caveat.
"""

from __future__ import annotations

from scheduler.exchange.page_setup import marking_text
from scheduler.preferences import load_preferences

DEFAULT_MARKING = "OFFICIAL"
# Named people are personal data: a file holding names that would be plain
# OFFICIAL is OFFICIAL-SENSITIVE instead, unless the planner types its
# marking. A default of another scheme (PROTECTED B, NATO UNCLASSIFIED…) is
# the planner's to choose and stays as it is.
NAMES_MARKING = "OFFICIAL-SENSITIVE"


def marking_for(typed: str | None, releasability: str | None = None, *, names: bool = False) -> str:
    """``names``: the file holds named people, so a default of plain OFFICIAL
    becomes OFFICIAL-SENSITIVE (a typed marking is kept)."""
    marking = " ".join((typed or "").split())
    if not marking:
        marking = (load_preferences().marking or "").strip() or DEFAULT_MARKING
        if names and marking.upper() == DEFAULT_MARKING:
            marking = NAMES_MARKING
    if releasability and "RELEASABLE" not in marking.upper():
        return f"{marking} RELEASABLE TO {releasability}"
    return marking


def printed_marking(
    typed: str | None, releasability: str | None = None, *, names: bool = False
) -> str:
    """``marking_for``, as every page will print it; a marking no page header
    can hold is refused (``UserError``) before anything is written."""
    return marking_text(marking_for(typed, releasability, names=names))
