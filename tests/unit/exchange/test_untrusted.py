"""Hostile workbooks are refused before any XML parser sees them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from scheduler.exchange.untrusted import UnsafeFileError, check_xlsx, read_csv, read_xlsx


def _workbook(path: Path) -> Path:
    wb = Workbook()
    wb.active.append(["Code", "Name"])
    wb.save(path)
    return path


def _rewrite(source: Path, target: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, change.pop(item.filename, old.read(item.filename)))
        for name, data in change.items():
            new.writestr(name, data)
    return target


def test_a_plain_workbook_reads(tmp_path: Path) -> None:
    sheets = read_xlsx(_workbook(tmp_path / "ok.xlsx"))
    assert sheets[0].rows[0] == (1, ("Code", "Name"))


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "ok.xlsx")
    bomb = _rewrite(source, tmp_path / "bomb.xlsx", {"xl/media/padding.bin": b"\0" * 50_000_000})
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(UnsafeFileError, match="zip bomb"):
        check_xlsx(bomb)


def test_entities_are_refused(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "ok.xlsx")
    with zipfile.ZipFile(source) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        + sheet
    )
    path = _rewrite(source, tmp_path / "evil.xlsx", {"xl/worksheets/sheet1.xml": evil})
    with pytest.raises(UnsafeFileError, match="entities"):
        read_xlsx(path)


def test_external_links_are_refused(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "ok.xlsx")
    path = _rewrite(
        source,
        tmp_path / "linked.xlsx",
        {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"},
    )
    with pytest.raises(UnsafeFileError, match="external links"):
        read_xlsx(path)


def test_huge_dimension_is_refused(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "ok.xlsx")
    with zipfile.ZipFile(source) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    huge = sheet.replace(b'<dimension ref="A1:B1" />', b'<dimension ref="A1:XFD1048576" />')
    assert huge != sheet
    path = _rewrite(source, tmp_path / "huge.xlsx", {"xl/worksheets/sheet1.xml": huge})
    with pytest.raises(UnsafeFileError, match="rows"):
        read_xlsx(path)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UnsafeFileError, match="not an Excel workbook"):
        read_xlsx(path)


def test_csv_must_be_utf8(tmp_path: Path) -> None:
    path = tmp_path / "Units.csv"
    path.write_bytes("Code;Name\nMK-1;Četa".encode("cp1250"))
    with pytest.raises(UnsafeFileError, match="UTF-8"):
        read_csv(path)
    path.write_text("Code;Name;Nation\nMK-1;Прва чета;MK\n", encoding="utf-8-sig")
    assert read_csv(path).rows[1] == (2, ("MK-1", "Прва чета", "MK"))
