"""The instructors and interpreters of the demo plan: who they are, what they
are qualified for, which languages they speak.

A roster line says how many people of one kind a nation provides; names are
drawn from per-nation lists in the script that nation writes them in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from scheduler.model.enums import InstructorRole, WorkloadPeriod

BCMS = ("sr", "bs", "cnr", "hr")


@dataclass(frozen=True, slots=True)
class RosterLine:
    nation: str
    role: InstructorRole
    count: int
    # Qualifications every such person holds first, then the optional ones.
    qualifications: tuple[str, ...]
    languages: tuple[str, ...]
    organisation: str
    releasable: bool = True


# Profiles of qualifications (the first one is always held).
INFANTRY = ("LEADERSHIP", "INSTR-GEN", "RANGE-SAFETY", "SAA-COACH", "CIED-INSTR")
FORCE_PROTECTION = ("CIED-INSTR", "INSTR-GEN", "CBRN-INSTR", "RANGE-SAFETY", "LOAC")
MEDIC = ("BCC-INSTR", "INSTR-GEN", "CBRN-INSTR")
STAFF = ("NATO-STAFF", "INSTR-GEN", "LOAC", "LEADERSHIP")
SIGNALS = ("COMMS-INSTR", "DRIVE-INSTR", "INSTR-GEN")
BORDER = ("DOC-EXPERT", "SURV-INSTR", "INTERVIEW")
SURVEILLANCE = ("SURV-INSTR", "DOC-EXPERT", "INTERVIEW")
INVESTIGATOR = ("FIN-INV", "JIT-ADV", "INTEL", "INTERVIEW")
ANALYST = ("INTEL", "INTERVIEW", "FIN-INV")
TEACHER = ("ELT",)

ARMY_GB = "British Army — Western Balkans Land Regional Coordination Cell"
I = InstructorRole.INSTRUCTOR  # noqa: E741 - reads as a table column
T = InstructorRole.INTERPRETER
S = InstructorRole.SUPPORT

# fmt: off
ROSTER: tuple[RosterLine, ...] = (
    RosterLine("GB", I, 6, INFANTRY, ("en",), ARMY_GB),
    RosterLine("GB", I, 5, FORCE_PROTECTION, ("en",), ARMY_GB),
    RosterLine("GB", I, 3, MEDIC, ("en",), "Royal Army Medical Service"),
    RosterLine("GB", I, 3, STAFF, ("en",), ARMY_GB),
    RosterLine("GB", I, 2, SIGNALS, ("en",), "Royal Corps of Signals"),
    RosterLine("GB", I, 3, BORDER, ("en",), "Border Force"),
    RosterLine("GB", I, 2, SURVEILLANCE, ("en",), "Border Force"),
    RosterLine("GB", I, 3, INVESTIGATOR, ("en",), "National Crime Agency", releasable=False),
    RosterLine("GB", I, 2, ANALYST, ("en",), "National Crime Agency", releasable=False),
    RosterLine("GB", S, 2, ("RANGE-SAFETY",), ("en",), ARMY_GB),
    RosterLine("MK", I, 2, MEDIC, ("mk", "en"), "Армија на Република Северна Македонија"),
    RosterLine("MK", I, 2, TEACHER, ("mk", "en"), "Воена академија „Генерал Михаило Апостолски“"),
    RosterLine("MK", I, 1, INFANTRY, ("mk", "en"), "Армија на Република Северна Македонија"),
    RosterLine("MK", I, 1, BORDER, ("mk", "en"), "Министерство за внатрешни работи"),
    RosterLine("AL", I, 2, BORDER, ("sq", "en"), "Policia e Shtetit"),
    RosterLine("AL", I, 1, INFANTRY, ("sq", "en"), "Forcat e Armatosura të Shqipërisë"),
    RosterLine("ME", I, 1, INFANTRY, ("cnr", "sr", "en"), "Vojska Crne Gore"),
    RosterLine("BA", I, 1, MEDIC, ("bs", "hr", "sr", "en"), "Oružane snage BiH"),
    RosterLine("RS", I, 1, BORDER, ("sr", "en"), "Управа граничне полиције"),
    RosterLine("XK", I, 2, BORDER, ("sq", "en"), "Policia e Kosovës"),
    RosterLine("MK", T, 4, (), ("mk", "en"), "Language services (contract)"),
    RosterLine("MK", T, 2, (), ("mk", "sq", "en"), "Language services (contract)"),
    RosterLine("AL", T, 3, (), ("sq", "en"), "Language services (contract)"),
    RosterLine("XK", T, 1, (), ("sq", "en"), "Language services (contract)"),
    RosterLine("ME", T, 2, (), ("cnr", "sr", "bs", "hr", "en"), "Language services (contract)"),
    RosterLine("BA", T, 2, (), ("bs", "hr", "sr", "cnr", "en"), "Language services (contract)"),
    RosterLine("RS", T, 2, (), ("sr", "cnr", "bs", "en"), "Language services (contract)"),
)
# fmt: on

# The limit on training days each kind of person works to, and over what period.
WORKLOAD: dict[tuple[str, InstructorRole], tuple[int, WorkloadPeriod]] = {
    ("GB", I): (16, WorkloadPeriod.MONTH),
    ("GB", S): (16, WorkloadPeriod.MONTH),
}
DEFAULT_WORKLOAD = (50, WorkloadPeriod.QUARTER)
INTERPRETER_WORKLOAD = (170, WorkloadPeriod.YEAR)


@dataclass(frozen=True, slots=True)
class NamePool:
    male_first: tuple[str, ...]
    female_first: tuple[str, ...]
    # (masculine, feminine) surname forms; the same text twice where it does not change.
    surnames: tuple[tuple[str, str], ...]


def _same(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, name) for name in names)


# fmt: off
NAMES: dict[str, NamePool] = {
    "GB": NamePool(
        ("James", "Thomas", "Daniel", "Owen", "Callum", "Gareth", "Rhys", "Liam", "Andrew",
         "Stuart", "Mark", "Ben", "Hamish", "Tariq"),
        ("Sarah", "Emma", "Rebecca", "Fiona", "Hannah", "Siobhan", "Aisha", "Megan", "Claire",
         "Priya", "Laura", "Kate", "Niamh", "Eleanor"),
        _same("Harrison", "Okafor", "MacLeod", "Pritchard", "Whitfield", "Thornton", "Kaur",
              "Evans", "Doyle", "Fraser", "Ashworth", "Bennett", "Campbell", "O'Neill", "Hughes",
              "Patel", "Sinclair", "Llewellyn", "Reid", "Gallagher"),
    ),
    "MK": NamePool(
        ("Александар", "Горан", "Бојан", "Дејан", "Никола", "Владимир", "Зоран", "Игор",
         "Марко", "Филип"),
        ("Марија", "Елена", "Ивана", "Катерина", "Билјана", "Сања", "Ана", "Татјана",
         "Јасмина", "Маја"),
        (("Стојановски", "Стојановска"), ("Петровски", "Петровска"),
         ("Николовски", "Николовска"), ("Трајковски", "Трајковска"), ("Јованов", "Јованова"),
         ("Ристески", "Ристеска"), ("Атанасов", "Атанасова"), ("Георгиевски", "Георгиевска"),
         ("Мицевски", "Мицевска"), ("Ѓорѓиевски", "Ѓорѓиевска"), ("Велјановски", "Велјановска"),
         ("Кузмановски", "Кузмановска")),
    ),
    "AL": NamePool(
        ("Arben", "Ilir", "Gentian", "Besnik", "Dritan", "Erion", "Fatmir", "Klodian", "Luan",
         "Ardit"),
        ("Ëlira", "Blerta", "Anila", "Mirela", "Jonida", "Dorina", "Rezarta", "Fjoralba",
         "Ermira", "Valbona"),
        _same("Çela", "Hoxha", "Shehu", "Dervishi", "Leka", "Gjoni", "Kola", "Muça", "Përmeti",
              "Zeqiri", "Bërdufi", "Çollaku"),
    ),
    "XK": NamePool(
        ("Agron", "Valon", "Driton", "Besart", "Fitim", "Kushtrim", "Arbër", "Shpëtim"),
        ("Vjosë", "Drita", "Teuta", "Albulena", "Mimoza", "Arbnore", "Lumturije", "Qëndresa"),
        _same("Krasniqi", "Berisha", "Gashi", "Morina", "Bytyqi", "Rexhepi", "Kryeziu", "Shala",
              "Hajdari", "Sylejmani"),
    ),
    "ME": NamePool(
        ("Milan", "Nikola", "Vuk", "Dragan", "Marko", "Boris", "Đorđe", "Željko"),
        ("Jelena", "Milica", "Tijana", "Sanja", "Dragana", "Ivana", "Anđela", "Ljiljana"),
        _same("Đurić", "Vuković", "Radulović", "Popović", "Kovačević", "Šćekić", "Bulatović",
              "Perović", "Vujošević", "Raičević"),
    ),
    "BA": NamePool(
        ("Emir", "Adnan", "Haris", "Mirza", "Senad", "Dario", "Nenad", "Tarik"),
        ("Amra", "Lejla", "Selma", "Aida", "Merima", "Jasmina", "Dženana", "Ivona"),
        _same("Šabić", "Hodžić", "Kovač", "Begić", "Mehmedović", "Husić", "Jukić", "Ćosić",
              "Delić", "Šehović"),
    ),
    "RS": NamePool(
        ("Милош", "Стефан", "Немања", "Душан", "Бранко", "Александар", "Вељко", "Лазар"),
        ("Јована", "Милица", "Теодора", "Невена", "Драгана", "Јелена", "Љиљана", "Ђурђина"),
        _same("Ђурић", "Јовановић", "Петровић", "Николић", "Марковић", "Стојановић", "Илић",
              "Ђорђевић", "Павловић", "Живковић"),
    ),
}
# fmt: on


# The first person of each nation, so every demo shows these spellings.
FEATURED: dict[str, tuple[str, ...]] = {
    "GB": ("Siobhan O'Neill",),
    "MK": ("Александар Стојановски", "Марија Ѓорѓиевска"),
    "AL": ("Ëlira Çela",),
    "XK": ("Qëndresa Krasniqi",),
    "ME": ("Đorđe Đurić",),
    "BA": ("Amra Šabić",),
    "RS": ("Љиљана Ђорђевић",),
}


class NameMaker:
    """Draws unique personal names (the plan refuses two people of one name)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def name(self, nation: str) -> str:
        for featured in FEATURED.get(nation, ()):
            if featured not in self._used:
                self._used.add(featured)
                return featured
        pool = NAMES[nation]
        rng = self._rng
        for attempt in range(60):
            female = rng.random() < 0.4
            first = rng.choice(pool.female_first if female else pool.male_first)
            masculine, feminine = rng.choice(pool.surnames)
            surname = feminine if female else masculine
            if attempt >= 20:
                # Big benchmark plans run out of pairs: add a middle initial.
                initial = rng.choice(pool.male_first + pool.female_first)[0]
                name = f"{first} {initial}. {surname}"
            else:
                name = f"{first} {surname}"
            if name not in self._used:
                self._used.add(name)
                return name
        name = f"{first} {surname} {len(self._used)}"
        self._used.add(name)
        return name
