"""The packaging files: the Linux desktop entry, AppStream metainfo and MIME type pass
their validators, and the files agree with each other and with the program."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scheduler import __version__
from scheduler.ui.app import DESKTOP_ID

LINUX = Path(__file__).resolve().parents[2] / "packaging" / "linux"
DESKTOP = LINUX / f"{DESKTOP_ID}.desktop"
METAINFO = LINUX / f"{DESKTOP_ID}.metainfo.xml"
MIME = LINUX / f"{DESKTOP_ID}.mime.xml"
PLAN_TYPE = "application/x-training-scheduler-plan"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("REQUIRE_DESKTOP_TOOLS") == "1":  # set by .ci/run
            pytest.fail(f"{name} is not installed, and .ci/run should have installed it")
        pytest.skip(f"{name} is not installed")
    return found


def test_desktop_file_is_valid() -> None:
    result = subprocess.run(
        [_tool("desktop-file-validate"), str(DESKTOP)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout  # not even a hint


def test_metainfo_is_valid_offline() -> None:
    result = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_desktop_entry_metainfo_and_mime_type_agree() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == "training-scheduler %f"
    assert desktop["Icon"] == DESKTOP_ID
    assert desktop["MimeType"] == f"{PLAN_TYPE};"
    assert desktop["Categories"] == "Office;ProjectManagement;"

    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == DESKTOP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("provides/mediatype") == PLAN_TYPE
    releases = [r.get("version") for r in component.iterfind("releases/release")]
    assert releases[0] == __version__

    namespace = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime = ET.parse(MIME).getroot().find("m:mime-type", namespace)
    assert mime is not None and mime.get("type") == PLAN_TYPE
    globs = [g.get("pattern") for g in mime.iterfind("m:glob", namespace)]
    assert globs == ["*.tsplan"]


def test_icons_exist_at_every_size() -> None:
    hicolor = LINUX / "icons" / "hicolor"
    for size in ICON_SIZES:
        png = hicolor / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png"
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", png
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (size, size), png
    assert (hicolor / "scalable" / "apps" / f"{DESKTOP_ID}.svg").is_file()
    ico = (LINUX.parent / "windows" / "training-scheduler.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00" and int.from_bytes(ico[4:6], "little") >= 5


def test_mime_database_accepts_the_type(tmp_path: Path) -> None:
    tool = _tool("update-mime-database")
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copyfile(MIME, packages / f"{DESKTOP_ID}.xml")
    result = subprocess.run(
        [tool, str(tmp_path / "mime")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "mime" / "application" / "x-training-scheduler-plan.xml").is_file()


def test_the_bundle_carries_the_metadata_the_about_dialog_reads() -> None:
    from scheduler.ui.dialogs.about_dialog import COMPONENTS

    spec = (LINUX.parent / "training-scheduler.spec").read_text(encoding="utf-8")
    for name, _optional in COMPONENTS:
        assert f'"{name}"' in spec, f"{name} is listed in About but its metadata is not bundled"
    assert '"training-scheduler"' in spec  # the program's own version
