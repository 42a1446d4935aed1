"""The partner-language texts: complete for every language, and really used."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from scheduler.exchange.partner_language import LANGUAGES, Wording, workbook_language
from scheduler.exchange.schedule_sheet import STATUS_COLOURS
from scheduler.resources_path import resource

STATUSES = {status.capitalize() for status in STATUS_COLOURS}
EXCHANGE = Path(__file__).resolve().parents[3] / "scheduler" / "exchange"


def _table() -> dict[str, dict[str, object]]:
    with resource("translations", "partner_workbook.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_every_text_is_there_in_every_language_with_its_placeholders() -> None:
    table = _table()
    # Partner workbooks (exchange) and certificates (reports) print these texts.
    source = "".join(
        path.read_text(encoding="utf-8")
        for folder in (EXCHANGE, EXCHANGE.parent / "reports")
        for path in folder.rglob("*.py")
    )
    for english, lines in table.items():
        assert set(lines) == set(LANGUAGES), english
        if english in ("months", "weekdays"):
            assert all(len(v) == (12 if english == "months" else 7) for v in lines.values())
            continue
        # The key is the program's own English, word for word (else it is never used);
        # statuses are written capitalised from their stored names.
        if english not in STATUSES:
            assert english.split("{")[0] in source.replace('"\n    "', ""), english
        wanted = set(re.findall(r"\{\w+\}", english))
        for language, text in lines.items():
            assert isinstance(text, str) and text.strip(), (english, language)
            assert set(re.findall(r"\{\w+\}", text)) == wanted, (english, language)


@pytest.mark.parametrize(
    ("languages", "expected", "start", "march", "monday"),
    [
        (["mk", "sq"], "mk", "Start\nПочеток", "Март", "По"),
        (["sq"], "sq", "Start\nFillimi", "Mars", "Hë"),
        (["sr"], "sr", "Start\nПочетак", "Март", "По"),
        (["sr-Latn"], "sr-Latn", "Start\nPočetak", "Mart", "Po"),
        (["bs", "hr", "sr"], "bs", "Start\nPočetak", "Mart", "Po"),
        (["cnr", "sr"], "cnr", "Start\nPočetak", "Mart", "Po"),
        (["hr", "sr"], "sr", "Start\nПочетак", "Март", "По"),  # no Croatian: the next one
        (["en"], None, "Start", None, None),
    ],
)
def test_a_nation_gets_the_first_of_its_languages_the_file_holds(
    languages: list[str], expected: str | None, start: str, march: str | None, monday: str | None
) -> None:
    language = workbook_language(languages)
    assert language == expected
    wording = Wording(language)
    assert wording.both("Start") == start
    assert wording.month(3) == march
    assert (wording.weekdays() or [None])[0] == monday
    # A text the file lacks stays English; placeholders are filled in both.
    assert wording.both("Not a translated text") == "Not a translated text"
    assert wording.both("No changes since {releases}.", " | ", releases="X").startswith(
        "No changes since X."
    )
