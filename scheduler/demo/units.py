"""Partner units of the demo plan and the capability targets they work toward.

Names are written the way the partner writes them (Macedonian and Serbian in
Cyrillic, Albanian, Bosnian and Montenegrin in Latin with diacritics), so
every view and export of the demo shows whether it keeps them intact.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.demo.catalogue import BORDER, MILITARY
from scheduler.model.enums import UnitKind


@dataclass(frozen=True, slots=True)
class UnitSpec:
    code: str
    name: str
    kind: UnitKind
    strength: int
    # Whether the unit sends people to courses itself (its staff, or the
    # whole of a small unit); a directorate or a battalion HQ may, a
    # ministry does not.
    trains: bool = True
    children: tuple[UnitSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitTree:
    """One partner organisation: nation, language, audience kind, its units."""

    nation: str
    language: str
    audience: str
    root: UnitSpec


def _platoons(prefix: str, names: tuple[str, ...], strength: int = 30) -> tuple[UnitSpec, ...]:
    return tuple(
        UnitSpec(f"{prefix}-{i}", name, UnitKind.PLATOON, strength)
        for i, name in enumerate(names, start=1)
    )


# fmt: off
UNIT_TREES: tuple[UnitTree, ...] = (
    UnitTree("MK", "mk", MILITARY, UnitSpec(
        "MK-LIB", "Баталјон лесна пешадија", UnitKind.BATTALION, 560, children=(
            UnitSpec("MK-LIB-A", "Прва пешадиска чета", UnitKind.COMPANY, 120, children=_platoons(
                "MK-LIB-A", ("Прв вод, Прва чета", "Втор вод, Прва чета", "Трет вод, Прва чета"),
            )),
            UnitSpec("MK-LIB-B", "Втора пешадиска чета", UnitKind.COMPANY, 120, children=_platoons(
                "MK-LIB-B", ("Прв вод, Втора чета", "Втор вод, Втора чета"),
            )),
            UnitSpec("MK-LIB-C", "Трета пешадиска чета", UnitKind.COMPANY, 115),
            UnitSpec("MK-LIB-S", "Чета за поддршка", UnitKind.COMPANY, 140),
        ),
    )),
    UnitTree("MK", "mk", MILITARY, UnitSpec(
        "MK-ACAD", "Воена академија „Генерал Михаило Апостолски“", UnitKind.ACADEMY, 180,
    )),
    UnitTree("MK", "mk", BORDER, UnitSpec(
        "MK-BP", "Оддел за гранични работи и миграции", UnitKind.DIRECTORATE, 40, children=(
            UnitSpec("MK-BP-N", "Регионален центар за гранични работи Север",
                     UnitKind.REGIONAL_CENTRE, 60, children=(
                UnitSpec("MK-BP-N-KU", "Граничен полициски центар Куманово",
                         UnitKind.BORDER_UNIT, 85),
                UnitSpec("MK-BP-N-TB", "Гранична полициска станица Табановце",
                         UnitKind.BORDER_UNIT, 45),
            )),
            UnitSpec("MK-BP-S", "Регионален центар за гранични работи Југ",
                     UnitKind.REGIONAL_CENTRE, 60, children=(
                UnitSpec("MK-BP-S-GE", "Граничен полициски центар Гевгелија",
                         UnitKind.BORDER_UNIT, 95),
            )),
        ),
    )),
    UnitTree("AL", "sq", MILITARY, UnitSpec(
        "AL-LIB", "Batalioni i Këmbësorisë së Lehtë", UnitKind.BATTALION, 520, children=(
            UnitSpec("AL-LIB-1", "Kompania e Parë e Këmbësorisë", UnitKind.COMPANY, 120),
            UnitSpec("AL-LIB-2", "Kompania e Dytë e Këmbësorisë", UnitKind.COMPANY, 120),
            UnitSpec("AL-LIB-3", "Kompania e Tretë e Këmbësorisë", UnitKind.COMPANY, 115),
        ),
    )),
    UnitTree("AL", "sq", BORDER, UnitSpec(
        "AL-BP", "Drejtoria e Policisë Kufitare dhe Migracionit", UnitKind.DIRECTORATE, 50,
        children=(
            UnitSpec("AL-BP-KU", "Drejtoria Rajonale e Policisë Kufitare Kukës",
                     UnitKind.REGIONAL_CENTRE, 90, children=(
                UnitSpec("AL-BP-KU-MO", "Pika e Kalimit Kufitar Morinë", UnitKind.BORDER_UNIT, 40),
            )),
            UnitSpec("AL-BP-SH", "Drejtoria Rajonale e Policisë Kufitare Shkodër",
                     UnitKind.REGIONAL_CENTRE, 90, children=(
                UnitSpec("AL-BP-SH-HH", "Pika e Kalimit Kufitar Hani i Hotit",
                         UnitKind.BORDER_UNIT, 35),
            )),
            UnitSpec("AL-BP-KA", "Drejtoria Rajonale e Policisë Kufitare Kakavijë",
                     UnitKind.REGIONAL_CENTRE, 70),
        ),
    )),
    UnitTree("ME", "cnr", MILITARY, UnitSpec(
        "ME-INF", "Pješadijski bataljon Vojske Crne Gore", UnitKind.BATTALION, 450, children=(
            UnitSpec("ME-INF-1", "Prva pješadijska četa", UnitKind.COMPANY, 110),
            UnitSpec("ME-INF-2", "Druga pješadijska četa", UnitKind.COMPANY, 110),
        ),
    )),
    UnitTree("ME", "cnr", BORDER, UnitSpec(
        "ME-BP", "Sektor granične policije", UnitKind.DIRECTORATE, 35, children=(
            UnitSpec("ME-BP-BP", "Regionalni centar granične policije „Sjever“ Bijelo Polje",
                     UnitKind.REGIONAL_CENTRE, 70, children=(
                UnitSpec("ME-BP-BP-DO", "Stanica granične policije Dobrakovo",
                         UnitKind.BORDER_UNIT, 30),
            )),
            UnitSpec("ME-BP-BA", "Regionalni centar granične policije „Jug“ Bar",
                     UnitKind.REGIONAL_CENTRE, 75, children=(
                UnitSpec("ME-BP-BA-BO", "Stanica granične policije Božaj",
                         UnitKind.BORDER_UNIT, 25),
            )),
        ),
    )),
    UnitTree("BA", "bs", MILITARY, UnitSpec(
        "BA-INF", "2. pješadijski bataljon, 4. pješadijski puk OSBiH", UnitKind.BATTALION, 480,
        children=(
            UnitSpec("BA-INF-A", "Četa A — Čapljina", UnitKind.COMPANY, 110),
            UnitSpec("BA-INF-B", "Četa B — Žepče", UnitKind.COMPANY, 110),
        ),
    )),
    UnitTree("BA", "bs", BORDER, UnitSpec(
        "BA-BP", "Granična policija Bosne i Hercegovine", UnitKind.DIRECTORATE, 60, children=(
            UnitSpec("BA-BP-NE", "Terenski ured Sjeveroistok — Tuzla",
                     UnitKind.REGIONAL_CENTRE, 80, children=(
                UnitSpec("BA-BP-NE-ZV", "Jedinica granične policije Zvornik",
                         UnitKind.BORDER_UNIT, 45),
                UnitSpec("BA-BP-NE-SA", "Jedinica granične policije Šamac",
                         UnitKind.BORDER_UNIT, 40),
            )),
        ),
    )),
    UnitTree("RS", "sr", MILITARY, UnitSpec(
        "RS-INF", "Први пешадијски батаљон, Прва бригада КоВ", UnitKind.BATTALION, 500,
        children=(
            UnitSpec("RS-INF-1", "Прва пешадијска чета", UnitKind.COMPANY, 115),
            UnitSpec("RS-INF-2", "Друга пешадијска чета", UnitKind.COMPANY, 115),
        ),
    )),
    UnitTree("RS", "sr", BORDER, UnitSpec(
        "RS-BP", "Управа граничне полиције", UnitKind.DIRECTORATE, 45, children=(
            UnitSpec("RS-BP-VR", "Регионални центар граничне полиције према Северној Македонији",
                     UnitKind.REGIONAL_CENTRE, 85, children=(
                UnitSpec("RS-BP-VR-PR", "Станица граничне полиције Прешево",
                         UnitKind.BORDER_UNIT, 50),
            )),
        ),
    )),
    UnitTree("XK", "sq", BORDER, UnitSpec(
        "XK-BP", "Departamenti i Kufirit — Policia e Kosovës", UnitKind.DIRECTORATE, 40,
        children=(
            UnitSpec("XK-BP-E", "Drejtoria Rajonale e Kufirit Lindje",
                     UnitKind.REGIONAL_CENTRE, 80, children=(
                UnitSpec("XK-BP-E-HE", "Njësia Kufitare Hani i Elezit", UnitKind.BORDER_UNIT, 40),
                UnitSpec("XK-BP-E-DH", "Njësia Kufitare Dheu i Bardhë", UnitKind.BORDER_UNIT, 30),
            )),
        ),
    )),
)
# fmt: on


@dataclass(frozen=True, slots=True)
class RequirementSpec:
    course: str
    people: int
    # Due this many days before the target's own date (courses that others build on).
    lead_days: int = 0


@dataclass(frozen=True, slots=True)
class TargetSpec:
    unit: str
    name: str
    # Days after the plan's first day that the target falls due.
    due_after_days: int
    description: str
    requirements: tuple[RequirementSpec, ...]


# fmt: off
CAPABILITY_TARGETS: tuple[TargetSpec, ...] = (
    TargetSpec(
        "MK-LIB", "Light infantry battalion at NATO readiness", 300,
        "Declared ready for NATO operations after the combat readiness evaluation (CREVAL).",
        (
            RequirementSpec("CFA", 60, 60), RequirementSpec("CIED", 90, 30),
            RequirementSpec("SCC", 16, 30), RequirementSpec("PCC", 6),
            RequirementSpec("MCC", 12), RequirementSpec("OPP", 20, 90),
            RequirementSpec("COMMS", 24), RequirementSpec("CBRN", 40),
        ),
    ),
    TargetSpec(
        "AL-LIB", "Light infantry battalion: NATO capability target EL 1003", 330,
        "Albanian light infantry battalion evaluated to NATO standards.",
        (
            RequirementSpec("CFA", 40, 60), RequirementSpec("CIED", 60),
            RequirementSpec("SCC", 8), RequirementSpec("OPP", 16, 60),
            RequirementSpec("LOAC", 40),
        ),
    ),
    TargetSpec(
        "ME-INF", "Infantry battalion: NATO evaluation level 2", 270,
        "Montenegrin battalion ready for the level 2 evaluation.",
        (RequirementSpec("CFA", 40), RequirementSpec("CIED", 45), RequirementSpec("NSP", 10)),
    ),
    TargetSpec(
        "MK-BP", "Integrated border management: EU standards", 240,
        "Border police able to detect document fraud and smuggling at every crossing point.",
        (
            RequirementSpec("DFD", 32), RequirementSpec("BSV", 16),
            RequirementSpec("INT", 24), RequirementSpec("FIA", 12),
        ),
    ),
    TargetSpec(
        "AL-BP", "Disrupting people-smuggling networks", 280,
        "Joint investigations and financial investigation against smuggling networks.",
        (
            RequirementSpec("DFD", 24), RequirementSpec("INT", 14),
            RequirementSpec("FIA", 16), RequirementSpec("MSA", 12),
        ),
    ),
    TargetSpec(
        "XK-BP", "Border crossing points: document and victim screening", 200,
        "Every shift at Hani i Elezit has a trained document examiner.",
        (RequirementSpec("DFD", 16), RequirementSpec("THB", 20)),
    ),
)
# fmt: on
