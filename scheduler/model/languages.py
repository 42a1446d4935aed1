"""Language codes used in the plan and the names planners read.

ISO 639 codes; Montenegrin has only the three-letter ``cnr``.
"""

from __future__ import annotations

LANGUAGE_NAMES: dict[str, str] = {
    "mk": "Macedonian",
    "sq": "Albanian",
    "sr": "Serbian",
    "bs": "Bosnian",
    "cnr": "Montenegrin",
    "hr": "Croatian",
    "en": "English",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
