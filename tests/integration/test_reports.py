"""``training-scheduler report``: PDFs of the demo plan read back (pages, text, a picture)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from scheduler.cli import main
from scheduler.model import Nation, TrainingEvent, Unit
from scheduler.storage import PlanAccess, open_plan

CYRILLIC_INSTRUCTOR = "Татјана Велјановска"


@pytest.fixture(autouse=True)
def _gui_app(qapp: QApplication) -> QApplication:
    """The command starts Qt itself; in the test process it must find pytest-qt's one."""
    return qapp


def _report(plan: Path, out: Path, *args: str) -> int:
    return main(["report", str(plan), "-o", str(out), *args])


def _pages(path: Path) -> list[str]:
    """Each page's text, with pypdf and (when installed) pdftotext agreeing on the count."""
    # Qt places words one by one; pypdf reads the gaps as tabs.
    texts = [page.extract_text().replace("\t", " ") for page in PdfReader(path).pages]
    if shutil.which("pdftotext") and not os.environ.get("REPORT_TESTS_PYPDF_ONLY"):
        result = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        )
        poppler = result.stdout.split("\f")
        assert len([p for p in poppler if p.strip()]) == len(texts)
        texts = [f"{a}\n{b}" for a, b in zip(texts, poppler, strict=False)]
    # Runs of one font are separate lines or cells to a reader: compare words only.
    return [" ".join(text.split()) for text in texts]


def _first_page_is_drawn(path: Path, tmp_path: Path) -> None:
    """The first page as a picture: ink in the header band and in the body."""
    if not shutil.which("pdftoppm"):
        return
    prefix = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(prefix)], check=True
    )
    (png,) = tmp_path.glob("page*.png")
    image = QImage(str(png))
    assert not image.isNull()

    def dark(top: float, bottom: float) -> int:
        count = 0
        for y in range(int(image.height() * top), int(image.height() * bottom)):
            for x in range(0, image.width(), 2):
                if image.pixelColor(x, y).lightness() < 100:
                    count += 1
        return count

    assert dark(0.0, 0.12) > 20  # the marking and the title
    assert dark(0.2, 0.9) > 100  # the report itself
    png.unlink()


def _no_partial_files(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".partial")]


def _refs_starting(plan: Path, first: date, last: date) -> list[str]:
    with open_plan(plan, access=PlanAccess.READ) as opened, opened.session() as session:
        return list(
            session.scalars(
                select(TrainingEvent.ref).where(
                    TrainingEvent.start >= datetime(first.year, first.month, first.day),
                    TrainingEvent.start < datetime(last.year, last.month, last.day),
                )
            )
        )


def test_month_calendar_one_page_a_month(
    demo_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "calendar Ђурђевдан.pdf"
    code = _report(
        demo_plan_path, out, "--kind", "calendar", "--from", "2027-01-01", "--to", "2027-03-31"
    )
    assert code == 0
    assert capsys.readouterr().out.strip() == f"Wrote 3 pages to {out}"
    pages = _pages(out)
    assert len(pages) == 3
    for text, month in zip(pages, ("January 2027", "February 2027", "March 2027"), strict=True):
        assert text.count("OFFICIAL") >= 2  # header and footer
        assert month in text
        assert "Training calendar" in text and "Demo plan" in text
    assert "Page 1 of 3" in pages[0] and "Page 3 of 3" in pages[2]
    january = _refs_starting(demo_plan_path, date(2027, 1, 1), date(2027, 2, 1))
    assert january
    for ref in january:
        assert ref in pages[0]
    for ref in _refs_starting(demo_plan_path, date(2027, 3, 1), date(2027, 4, 1)):
        assert ref in pages[2]
    _first_page_is_drawn(out, tmp_path)
    _no_partial_files(tmp_path)


def test_custom_marking_on_every_page(demo_plan_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "marked.pdf"
    marking = "OFFICIAL-SENSITIVE ПАРТНЕР"
    code = _report(
        demo_plan_path,
        out,
        "--kind",
        "calendar",
        "--from",
        "2027-05-01",
        "--to",
        "2027-06-30",
        "--marking",
        marking,
    )
    assert code == 0
    pages = _pages(out)
    assert len(pages) == 2
    for text in pages:
        assert text.count(marking) >= 2


def test_timeline_tiles_days_across_and_rows_down(demo_plan_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "timeline.pdf"
    code = _report(
        demo_plan_path, out, "--kind", "timeline", "--from", "2027-01-01", "--to", "2027-03-31"
    )
    assert code == 0
    pages = _pages(out)
    # 91 days at 35 a page: three time slices, each as many sheets as its rows need.
    assert len(pages) % 3 == 0 and len(pages) >= 6
    per_slice = len(pages) // 3
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL") >= 2
        assert f"Page {number} of {len(pages)}" in text
        assert "Instructor" in text  # the repeated label column's heading
    # The first sheet of every slice starts with the same rows, its dates differ.
    assert "Jan 2027" in pages[0] and "1 Jan" in pages[0]
    assert "Feb 2027" in pages[per_slice]
    assert "Mar 2027" in pages[2 * per_slice]
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        from scheduler.model import Instructor

        names = session.scalars(select(Instructor.name)).all()
    assert CYRILLIC_INSTRUCTOR in names
    for slice_start in range(0, len(pages), per_slice):
        sheets = " ".join(pages[slice_start : slice_start + per_slice])
        missing = [name for name in names if name not in sheets]
        assert not missing  # every slice repeats every row label
    _first_page_is_drawn(out, tmp_path)


def test_venue_timeline(demo_plan_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "venues.pdf"
    code = _report(
        demo_plan_path,
        out,
        "--kind",
        "timeline",
        "--resource",
        "venues",
        "--from",
        "2027-04-01",
        "--to",
        "2027-04-30",
    )
    assert code == 0
    pages = _pages(out)
    assert len(pages) == 1
    assert "Venue" in pages[0] and "Resource timeline: venues" in pages[0]


def test_readiness_holds_only_the_partners_units(demo_plan_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "readiness MK.pdf"
    assert _report(demo_plan_path, out, "--kind", "readiness", "--partner", "MK") == 0
    pages = _pages(out)
    text = "\n".join(pages)
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        codes = dict(session.execute(select(Unit.code, Nation.code).join(Nation)).all())
    others = [code for code, nation in codes.items() if nation != "MK"]
    assert "Readiness: North Macedonia (MK)" in text
    assert "MK-LIB" in text
    assert not [code for code in others if code in text]
    assert "on track" in text
    assert "short by the due date" in text  # the demo has requirements in trouble
    # The infantry target's NATO milestones, one at risk with its reason, and its tasks.
    assert "Self-evaluation level 1" in text and "NATO evaluation level 1" in text
    assert "At risk" in text and "no FTX-BN is planned for MK-LIB" in text
    assert "Task: Defend a position" in text and "Trained by SCC" in text
    assert "Other providers training North Macedonia" in text and "Border Force" in text
    for page in pages:
        assert page.count("OFFICIAL") >= 2
        assert "RELEASABLE TO" in page  # a partner's report carries its caveat
    _first_page_is_drawn(out, tmp_path)


def test_readiness_of_one_unit(demo_plan_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "unit.pdf"
    assert _report(demo_plan_path, out, "--kind", "readiness", "--partner", "mk-lib") == 0
    text = "\n".join(_pages(out))
    assert "MK-LIB" in text and "MK-BP" not in text


def test_instructor_schedule_in_cyrillic(demo_plan_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "instructor.pdf"
    code = _report(
        demo_plan_path,
        out,
        "--kind",
        "instructor",
        "--instructor",
        CYRILLIC_INSTRUCTOR,
        "--from",
        "2027-01-01",
        "--to",
        "2027-12-31",
    )
    assert code == 0
    pages = _pages(out)
    text = "\n".join(pages)
    assert f"Schedule: {CYRILLIC_INSTRUCTOR}" in pages[0]
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        from scheduler.model import EventInstructor, Instructor

        refs = session.scalars(
            select(TrainingEvent.ref)
            .join(EventInstructor, EventInstructor.event_id == TrainingEvent.id)
            .join(Instructor, Instructor.id == EventInstructor.instructor_id)
            .where(Instructor.name == CYRILLIC_INSTRUCTOR)
        ).all()
    assert refs
    for ref in refs:
        assert ref in text
    assert f"{len(refs)} events" in text and "working days booked" in text
    for page in pages:
        assert page.count("OFFICIAL") >= 2
    _first_page_is_drawn(out, tmp_path)


def test_instructor_with_diacritics_made_for_the_test(demo_plan_path: Path, tmp_path: Path) -> None:
    name = "Željko Đurić-Ćosić"
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        from scheduler.model import EventInstructor, Instructor

        person = Instructor(name=name)
        session.add(person)
        session.flush()
        event = session.scalars(select(TrainingEvent).order_by(TrainingEvent.start)).first()
        assert event is not None
        session.add(EventInstructor(event_id=event.id, instructor_id=person.id, role="instructor"))
        ref = event.ref
    out = tmp_path / "zeljko.pdf"
    assert _report(demo_plan_path, out, "--kind", "instructor", "--instructor", name.upper()) == 0
    text = "\n".join(_pages(out))
    assert name in text and ref in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--kind", "readiness"], "--partner"),
        (["--kind", "readiness", "--partner", "ZZ"], "no partner"),
        (["--kind", "instructor"], "--instructor"),
        (["--kind", "instructor", "--instructor", "Nobody Atall"], "no instructor"),
        (["--kind", "calendar", "--from", "2027-13-01"], "not a date"),
        (["--kind", "calendar", "--from", "2027-05-01", "--to", "2027-04-01"], "before it starts"),
        (["--kind", "pie"], "invalid choice"),
    ],
)
def test_errors_are_one_sentence(
    demo_plan_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    words: str,
) -> None:
    out = tmp_path / "out.pdf"
    try:
        code = _report(demo_plan_path, out, *args)
    except SystemExit as exit_:  # argparse's own refusals
        code = int(exit_.code or 0)
    assert code == 2
    error = capsys.readouterr().err
    assert words in error
    assert "Traceback" not in error
    assert not out.exists()
    _no_partial_files(tmp_path)


def test_unwritable_output(
    demo_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no such folder" / "out.pdf"
    assert _report(demo_plan_path, missing, "--kind", "calendar") == 2
    assert "does not exist" in capsys.readouterr().err
    not_pdf = tmp_path / "out.xlsx"
    assert _report(demo_plan_path, not_pdf, "--kind", "calendar") == 2
    assert ".pdf" in capsys.readouterr().err
    folder = tmp_path / "a folder.pdf"
    folder.mkdir()
    assert _report(demo_plan_path, folder, "--kind", "calendar") == 2
    assert "folder" in capsys.readouterr().err


def test_existing_file_replaced_whole(demo_plan_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "again.pdf"
    out.write_bytes(b"old")
    assert _report(demo_plan_path, out, "--kind", "readiness", "--partner", "AL") == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "Albania" in "\n".join(_pages(out))
    _no_partial_files(tmp_path)


def test_cancel_leaves_no_file(demo_plan_path: Path, tmp_path: Path) -> None:
    from scheduler.progress import Cancelled
    from scheduler.reports.render.documents import write_pdf
    from scheduler.reports.requests import ReportRequest
    from scheduler.services.reports import build_report

    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        request = ReportRequest("timeline", date_from=date(2027, 1, 1), date_to=date(2027, 6, 30))
        with pytest.raises(Cancelled):
            build_report(session, plan.name, request, lambda done, total: False)
        report = build_report(session, plan.name, request)
    out = tmp_path / "stopped.pdf"
    with pytest.raises(Cancelled):
        write_pdf(report, out, lambda done, total: done < 2)
    assert not out.exists()
    _no_partial_files(tmp_path)
