"""Language codes used in the plan and the names planners read and type.

ISO 639 codes; Montenegrin has only the three-letter ``cnr``. The plan
stores codes only, so "English" and "en" are one language to the conflict
rules (an interpreter is needed when a course's language is not the unit's).
What a person may type for each: the code, the English name, or the
language's own name, in either script where it has two.
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

# Each language's own names (endonyms), Latin and Cyrillic where both are used.
_OWN_NAMES: dict[str, tuple[str, ...]] = {
    "mk": ("македонски", "makedonski"),
    "sq": ("shqip", "shqipe"),
    "sr": ("srpski", "српски"),
    "bs": ("bosanski", "босански"),
    "cnr": ("crnogorski", "црногорски"),
    "hr": ("hrvatski",),
    "en": (),
}


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


_BY_WORD: dict[str, str] = {}
for _code, _name in LANGUAGE_NAMES.items():
    for _word in (_code, _name, *_OWN_NAMES[_code]):
        _BY_WORD[_fold(_word)] = _code


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def language_code(text: str) -> str | None:
    """The code for a code or a name as typed ("English", "shqip", "MK"), else None."""
    return _BY_WORD.get(_fold(text))


def accepted_languages() -> str:
    """What may be typed, for a message next to a refused value."""
    return "; ".join(
        ", ".join((code, name, *_OWN_NAMES[code])) for code, name in LANGUAGE_NAMES.items()
    )
