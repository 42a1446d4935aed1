"""Certificates of the trainees who passed, read back as a partner's printer gets them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from scheduler.cli import main
from scheduler.model import Enrolment, EnrolmentStatus, Nation, Trainee, TrainingEvent
from scheduler.storage import PlanAccess, open_plan
from tests.printed import PrintedPage, pdf_pages
from tests.trainees import enrol_a_platoon_commander

CODE = re.compile(r"\b[A-Z2-7]{4}-[A-Z2-7]{4}\b")  # a verification code: TZET-WC7R
LONG = "Shpëtim Xhaferri-Krasniqi i Gjatë Shumë Emrash dhe Mbiemrash Tepër të Gjatë"


@pytest.fixture
def passed(demo_plan_path: Path) -> tuple[Path, str]:
    """A Macedonian lieutenant and an Albanian sergeant with a very long name passed
    one event; a third person there failed."""
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        _, events = enrol_a_platoon_commander(session)
        al = session.scalars(select(Nation).where(Nation.code == "AL")).one()
        session.add_all(
            [
                Trainee(
                    name=LONG,
                    name_latin=LONG,
                    rank="rreshter",
                    nation=al,
                    languages=["sq"],
                    enrolments=[Enrolment(event=events[0], status=EnrolmentStatus.PASSED)],
                ),
                Trainee(
                    name="Failed Once",
                    nation=al,
                    languages=[],
                    enrolments=[Enrolment(event=events[0], status=EnrolmentStatus.FAILED)],
                ),
            ]
        )
        return demo_plan_path, events[0].ref


def _codes(page: PrintedPage) -> list[str]:
    return CODE.findall(page.text)


def _serials(path: Path, ref: str) -> dict[str, str | None]:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        event = s.scalars(select(TrainingEvent).where(TrainingEvent.ref == ref)).one()
        return {e.trainee.name: e.certificate_serial for e in event.enrolments}


def test_certificates_of_an_event_print_marked_bilingual_and_checkable(
    passed: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ref = passed
    assert main(["certificates", str(path), "--event", ref, "-o", str(tmp_path)]) == 0
    assert "Gave 2 new certificate serials." in capsys.readouterr().out
    # Numbered in the order of the names in Latin letters (Gjorgji, then Shpëtim).
    assert _serials(path, ref) == {
        "Ѓорѓи Трајковски": f"{ref}/01",
        LONG: f"{ref}/02",
        "Failed Once": None,
    }
    pages = pdf_pages(tmp_path / f"{ref} certificates.pdf")
    assert len(pages) == 2  # the one who failed gets none
    by_name = {("Trajkovski" in p.text): p for p in pages}
    mk, al = by_name[True], by_name[False]
    for page in pages:
        assert page.text.count("OFFICIAL-SENSITIVE") == 2  # names: header and footer
        assert "Certificate of training" in page.text and "Verification code" in page.text
        assert min(page.sizes) >= 7, page.sizes
    assert "Ѓорѓи Трајковски" in mk.text and "Gjorgji Trajkovski" in mk.text
    assert "Сертификат за обука" in mk.text and "Код за проверка" in mk.text
    assert "Certifikatë trajnimi" in al.text and "Kodi i verifikimit" in al.text
    assert " ".join(LONG.split()[:4]) in " ".join(al.text.split())  # shrunk, not cut
    first_codes = [
        line for p in pages for line in p.text.split() if len(line) == 9 and line[4] == "-"
    ]

    # Made again: the same serials and the same codes, nothing new given.
    assert (
        main(["certificates", str(path), "--event", ref, "-o", str(tmp_path), "--per-trainee"]) == 0
    )
    assert "Gave" not in capsys.readouterr().out
    files = sorted(p.name for p in tmp_path.glob(f"{ref}-0*.pdf"))
    assert files == [f"{ref}-01 Gjorgji Trajkovski.pdf", f"{ref}-02 {LONG}.pdf"]
    again = [code for f in files for page in pdf_pages(tmp_path / f) for code in _codes(page)]
    assert sorted(again) == sorted(first_codes) and len(set(first_codes)) == 2


def test_no_certificates_without_a_pass(
    demo_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["certificates", str(demo_plan_path), "-o", str(tmp_path), "--event"]
    assert main([*command, "MK-2027-001"]) == 2
    assert "No one has passed MK-2027-001 yet" in capsys.readouterr().err
    assert main([*command, "XX-1"]) == 2
    assert "There is no event “XX-1”" in capsys.readouterr().err
    assert list(tmp_path.glob("*.pdf")) == []
