"""The demo plan's course catalogue and the qualifications its instructors need.

Static data only: the generator decides how often each course runs and for
whom. Titles follow the catalogue the cell actually plans with (see
DOMAIN.md); a few courses are delivered in a partner's own language by
instructors the cell has already trained, so the catalogue also shows
Cyrillic and Albanian titles.
"""

from __future__ import annotations

from dataclasses import dataclass

# Which audiences a course is meant for; the generator matches it to units.
MILITARY = "military"
BORDER = "border"
ANY = "any"


@dataclass(frozen=True, slots=True)
class QualificationSpec:
    code: str
    name: str
    validity_months: int | None


@dataclass(frozen=True, slots=True)
class CourseSpec:
    code: str
    title: str
    category: str
    duration_days: int
    min_trainees: int
    max_trainees: int
    trainees_per_instructor: int
    required_qualifications: tuple[str, ...]
    required_facilities: tuple[str, ...]
    audience: str
    # How often the course is picked when the plan is filled (0: series only).
    weight: int
    language: str = "en"
    daily_hours: float = 7.0
    prerequisites: tuple[str, ...] = ()
    description: str | None = None


# Facility names shared by courses and venues.
CLASSROOM = "classroom"
RANGE = "range"
FIELD = "field training area"
VEHICLE_PARK = "vehicle park"
MEDICAL_SIM = "medical simulation room"
COMPUTER_LAB = "computer lab"
DOCUMENT_LAB = "document examination lab"
CONFERENCE = "conference hall"
LANGUAGE_LAB = "language lab"
ACCOMMODATION = "accommodation"

QUALIFICATIONS: tuple[QualificationSpec, ...] = (
    QualificationSpec("INSTR-GEN", "Qualified instructor (Defence Train the Trainer)", 60),
    QualificationSpec("LEADERSHIP", "Junior leadership instructor", 60),
    QualificationSpec("RANGE-SAFETY", "Range conducting officer", 24),
    QualificationSpec("SAA-COACH", "Skill at arms and marksmanship coach", 36),
    QualificationSpec("BCC-INSTR", "Battlefield casualty care instructor", 12),
    QualificationSpec("CIED-INSTR", "Counter-IED awareness instructor", 36),
    QualificationSpec("CBRN-INSTR", "CBRN defence instructor", 36),
    QualificationSpec("COMMS-INSTR", "Tactical communications instructor", 36),
    QualificationSpec("DRIVE-INSTR", "Military driving instructor (armoured vehicles)", 24),
    QualificationSpec(
        "NATO-STAFF", "NATO staff officer (graduate, NATO School Oberammergau)", None
    ),
    QualificationSpec("LOAC", "Law of armed conflict adviser", None),
    QualificationSpec("ELT", "English language teacher (CELTA)", None),
    QualificationSpec("DOC-EXPERT", "Document examiner, Frontex level 2", 36),
    QualificationSpec("SURV-INSTR", "Border surveillance systems instructor", 24),
    QualificationSpec("INTERVIEW", "Investigative interviewing (PEACE) tier 3", 36),
    QualificationSpec("FIN-INV", "Accredited financial investigator", 36),
    QualificationSpec("JIT-ADV", "Joint investigation team adviser", None),
    QualificationSpec("INTEL", "Criminal intelligence analyst", 36),
)

# fmt: off
COURSES: tuple[CourseSpec, ...] = (
    # Infantry leadership and skills: the light infantry battalions.
    CourseSpec(
        "SCC", "Section commanders' course", "Leadership", 15, 8, 16, 6,
        ("LEADERSHIP", "INSTR-GEN"), (CLASSROOM, FIELD), MILITARY, 3,
        prerequisites=("CFA",),
        description="Junior NCOs leading an eight-person section in the attack and defence.",
    ),
    CourseSpec(
        "PCC", "Platoon commanders' course", "Leadership", 20, 6, 12, 6,
        ("LEADERSHIP",), (CLASSROOM, FIELD), MILITARY, 2,
        prerequisites=("OPP",),
    ),
    CourseSpec(
        "CFA", "Combat first aid", "Medical", 3, 10, 20, 10,
        ("BCC-INSTR",), (CLASSROOM, MEDICAL_SIM), MILITARY, 12,
    ),
    CourseSpec(
        "TCCC", "Tactical combat casualty care (advanced)", "Medical", 5, 8, 16, 8,
        ("BCC-INSTR",), (MEDICAL_SIM, FIELD), MILITARY, 3,
        prerequisites=("CFA",),
    ),
    CourseSpec(
        "CFA-R", "Combat first aid refresher", "Medical", 1, 6, 20, 10,
        ("BCC-INSTR",), (CLASSROOM, MEDICAL_SIM), MILITARY, 0,
        daily_hours=4.0,
    ),
    CourseSpec(
        "CFA-MK", "Прва помош во борбени услови", "Medical", 3, 10, 20, 10,
        ("BCC-INSTR",), (CLASSROOM, MEDICAL_SIM), MILITARY, 3, language="mk",
        description="Combat first aid taught in Macedonian by instructors the cell trained.",
    ),
    CourseSpec(
        "MCC", "Marksmanship coach", "Infantry skills", 10, 6, 12, 6,
        ("SAA-COACH", "RANGE-SAFETY"), (RANGE, CLASSROOM), MILITARY, 4,
    ),
    CourseSpec(
        "RCO", "Range conducting officer", "Infantry skills", 5, 6, 12, 6,
        ("RANGE-SAFETY",), (RANGE, CLASSROOM), MILITARY, 3,
    ),
    CourseSpec(
        "CIED", "Counter-IED awareness", "Force protection", 2, 12, 30, 15,
        ("CIED-INSTR",), (CLASSROOM, FIELD), MILITARY, 12,
    ),
    CourseSpec(
        "CBRN", "CBRN defence (basic)", "Force protection", 3, 10, 24, 12,
        ("CBRN-INSTR",), (CLASSROOM, FIELD), MILITARY, 5,
    ),
    CourseSpec(
        "COMMS", "Tactical radio procedures (NATO voice procedure)", "Communications", 5, 8, 16, 8,
        ("COMMS-INSTR",), (CLASSROOM, VEHICLE_PARK), MILITARY, 4,
    ),
    CourseSpec(
        "DRV", "Armoured vehicle driver training", "Mobility", 10, 4, 8, 4,
        ("DRIVE-INSTR",), (VEHICLE_PARK,), MILITARY, 2,
    ),
    CourseSpec(
        "OPP", "Orders process and mission planning", "Staff", 5, 8, 20, 10,
        ("INSTR-GEN",), (CLASSROOM,), MILITARY, 5,
    ),
    CourseSpec(
        "NSP", "NATO staff procedures", "Staff", 10, 10, 24, 12,
        ("NATO-STAFF",), (CLASSROOM, COMPUTER_LAB), ANY, 3,
        prerequisites=("OPP",),
    ),
    CourseSpec(
        "PSO", "Pre-deployment training for peace support operations", "Operations", 10, 12, 30, 15,
        ("INSTR-GEN",), (CLASSROOM, FIELD), MILITARY, 2,
        prerequisites=("CFA", "CIED"),
    ),
    CourseSpec(
        "LOAC", "Law of armed conflict and rules of engagement", "Legal", 2, 10, 30, 30,
        ("LOAC",), (CLASSROOM,), MILITARY, 4,
    ),
    CourseSpec(
        "GPO", "Gender perspectives in operations", "Staff", 2, 10, 30, 30,
        ("INSTR-GEN",), (CLASSROOM,), ANY, 3,
    ),
    CourseSpec(
        "EFO", "English for operations — Англиски јазик за операции", "Language", 1, 6, 14, 14,
        ("ELT",), (CLASSROOM, LANGUAGE_LAB), ANY, 0, language="mk", daily_hours=3.5,
        description="Weekly lesson taught by Macedonian English teachers; STANAG 6001 level 2.",
    ),
    CourseSpec(
        "TTT", "Train-the-trainer", "Instructor development", 10, 6, 12, 6,
        ("INSTR-GEN",), (CLASSROOM,), ANY, 3,
    ),
    # Border security: the border police directorates and their units.
    CourseSpec(
        "DFD", "Document fraud detection", "Border security", 5, 8, 16, 8,
        ("DOC-EXPERT",), (CLASSROOM, DOCUMENT_LAB), BORDER, 8,
    ),
    CourseSpec(
        "DFD-ADV", "Document fraud detection (advanced)", "Border security", 5, 6, 12, 6,
        ("DOC-EXPERT",), (DOCUMENT_LAB,), BORDER, 2,
        prerequisites=("DFD",),
    ),
    CourseSpec(
        "DFD-SQ", "Zbulimi i dokumenteve të falsifikuara", "Border security", 3, 8, 16, 8,
        ("DOC-EXPERT",), (CLASSROOM, DOCUMENT_LAB), BORDER, 2, language="sq",
        description="Document fraud detection taught in Albanian; also the monthly clinic.",
    ),
    CourseSpec(
        "BSV", "Border surveillance", "Border security", 10, 8, 16, 8,
        ("SURV-INSTR",), (CLASSROOM, VEHICLE_PARK), BORDER, 4,
    ),
    CourseSpec(
        "VSB", "Vehicle search at border crossing points", "Border security", 3, 8, 16, 8,
        ("SURV-INSTR",), (VEHICLE_PARK,), BORDER, 3,
    ),
    CourseSpec(
        "INT", "Interview techniques (PEACE model)", "Investigation", 5, 8, 14, 7,
        ("INTERVIEW",), (CLASSROOM,), BORDER, 5,
    ),
    CourseSpec(
        "THB", "Identifying victims of trafficking", "Investigation", 2, 10, 24, 12,
        ("INTERVIEW",), (CLASSROOM,), BORDER, 3,
    ),
    CourseSpec(
        "FIA", "Financial investigation awareness", "Investigation", 3, 8, 20, 10,
        ("FIN-INV",), (CLASSROOM, COMPUTER_LAB), BORDER, 4,
        description="Following the money behind people-smuggling networks.",
    ),
    CourseSpec(
        "MSA", "Migrant smuggling: intelligence analysis", "Investigation", 5, 6, 14, 7,
        ("INTEL",), (COMPUTER_LAB,), BORDER, 3,
    ),
    CourseSpec(
        "JIT", "Joint investigation team practice", "Investigation", 2, 8, 20, 10,
        ("JIT-ADV",), (CONFERENCE,), BORDER, 1,
        prerequisites=(),
        description="Prosecutors and investigators from two or more states work one case.",
    ),
)
# fmt: on

CATEGORY_COLOURS: dict[str, str] = {
    "Leadership": "#1F4E79",
    "Medical": "#C00000",
    "Infantry skills": "#548235",
    "Force protection": "#7F6000",
    "Communications": "#2E75B6",
    "Mobility": "#808080",
    "Staff": "#7030A0",
    "Operations": "#375623",
    "Legal": "#833C0B",
    "Language": "#00B0F0",
    "Instructor development": "#FFC000",
    "Border security": "#0070C0",
    "Investigation": "#C55A11",
}
