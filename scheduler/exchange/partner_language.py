"""A partner workbook's fixed texts in English and the partner's language.

Partner staff read English, but a schedule printed for a battalion's
orderly room is read by people who may not: headings, statuses, weekdays
and months, the cover and the changes wording are printed in both, the
English first. The translations live in one file a native speaker can
correct (``resources/translations/partner_workbook.toml``); a text it
lacks stays in English only.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from functools import cache
from typing import Any

from scheduler.resources_path import resource

# The languages the file holds, by the codes nations list them under. Plain
# "sr" is Serbian in Cyrillic, the script of Serbia's forces; "sr-Latn" asks
# for Latin letters.
LANGUAGES = ("mk", "sq", "sr", "sr-Latn", "bs", "cnr")
_ALIASES = {"sr-cyrl": "sr", "sr_latn": "sr-Latn", "sr-latn": "sr-Latn", "me": "cnr"}


@cache
def _translations() -> dict[str, Any]:
    with resource("translations", "partner_workbook.toml").open("rb") as handle:
        return tomllib.load(handle)


def workbook_language(languages: Sequence[str]) -> str | None:
    """The first of a nation's ``languages`` the translations hold, else None."""
    for code in languages:
        found = _ALIASES.get(code.strip().lower(), code.strip())
        if found in LANGUAGES:
            return found
    return None


class Wording:
    """The fixed texts of one partner's workbook; ``language`` None is English only."""

    def __init__(self, language: str | None) -> None:
        self.language = language
        table = _translations() if language else {}
        self._table = table
        self._months: list[str] = table.get("months", {}).get(language, []) if language else []
        self._weekdays: list[str] = table.get("weekdays", {}).get(language, []) if language else []

    def local(self, english: str, **values: str) -> str | None:
        """``english`` in the partner's language (``{placeholders}`` filled), or None."""
        entry = self._table.get(english)
        text = entry.get(self.language) if isinstance(entry, dict) and self.language else None
        return text.format(**values) if text else None

    def both(
        self,
        english: str,
        separator: str = "\n",
        local_values: dict[str, str] | None = None,
        **values: str,
    ) -> str:
        """English, then the partner's language: stacked (a heading) or in one
        line. ``local_values`` fill the translation's placeholders where they
        differ from the English ones (a phrase itself translated)."""
        own = self.local(english, **(values if local_values is None else local_values))
        plain = english.format(**values) if values else english
        return f"{plain}{separator}{own}" if own and own != plain else plain

    def month(self, index: int) -> str | None:
        """The name of month ``index`` (1 = January) in the partner's language."""
        return self._months[index - 1] if len(self._months) == 12 else None

    def weekdays(self) -> list[str] | None:
        return self._weekdays if len(self._weekdays) == 7 else None


ENGLISH = Wording(None)
