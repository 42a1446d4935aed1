"""Where the demo plan's training happens: barracks, training areas, border
police centres and seminar hotels, with their capacity, facilities and the
periods each is known to be closed."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.demo.catalogue import (
    ACCOMMODATION,
    CLASSROOM,
    COMPUTER_LAB,
    CONFERENCE,
    DOCUMENT_LAB,
    FIELD,
    LANGUAGE_LAB,
    MEDICAL_SIM,
    RANGE,
    VEHICLE_PARK,
)


@dataclass(frozen=True, slots=True)
class ClosureSpec:
    """A closure repeated every plan year: first day (month, day) and length."""

    month: int
    day: int
    days: int
    reason: str


@dataclass(frozen=True, slots=True)
class VenueSpec:
    name: str
    nation: str
    location: str
    capacity: int
    facilities: tuple[str, ...]
    closures: tuple[ClosureSpec, ...] = ()


# fmt: off
VENUES: tuple[VenueSpec, ...] = (
    VenueSpec("Касарна „Илинден“ — училници", "MK", "Скопје", 40,
              (CLASSROOM, COMPUTER_LAB, LANGUAGE_LAB, MEDICAL_SIM)),
    VenueSpec("Воен полигон Криволак", "MK", "Неготино", 120,
              (RANGE, FIELD, VEHICLE_PARK, CLASSROOM, ACCOMMODATION, MEDICAL_SIM),
              (ClosureSpec(8, 2, 12, "Range maintenance and unexploded ordnance clearance"),)),
    VenueSpec("Касарна Штип — центар за обука", "MK", "Штип", 30,
              (CLASSROOM, MEDICAL_SIM, VEHICLE_PARK, RANGE, FIELD)),
    VenueSpec("Центар за обука на граничната полиција Куманово", "MK", "Куманово", 30,
              (CLASSROOM, DOCUMENT_LAB, COMPUTER_LAB, VEHICLE_PARK)),
    VenueSpec("Хотел „Александар Палас“", "MK", "Скопје", 80,
              (CONFERENCE, CLASSROOM, ACCOMMODATION)),
    VenueSpec("Qendra e Stërvitjes Bizë", "AL", "Bizë, Martanesh", 100,
              (RANGE, FIELD, VEHICLE_PARK, CLASSROOM, ACCOMMODATION),
              (ClosureSpec(1, 11, 18, "Snow: access road closed"),)),
    VenueSpec("Akademia e Forcave të Armatosura", "AL", "Tiranë", 40,
              (CLASSROOM, COMPUTER_LAB, MEDICAL_SIM, LANGUAGE_LAB, FIELD)),
    VenueSpec("Qendra e Trajnimit të Policisë Kufitare Kukës", "AL", "Kukës", 20,
              (CLASSROOM, DOCUMENT_LAB, VEHICLE_PARK, COMPUTER_LAB)),
    VenueSpec("Hotel Tirana International", "AL", "Tiranë", 100,
              (CONFERENCE, CLASSROOM, ACCOMMODATION),
              (ClosureSpec(11, 15, 10, "Refurbishment of the conference floor"),)),
    VenueSpec("Kasarna „Milovan Šaranović“", "ME", "Danilovgrad", 60,
              (CLASSROOM, RANGE, FIELD, VEHICLE_PARK, MEDICAL_SIM, COMPUTER_LAB)),
    VenueSpec("Policijska akademija Danilovgrad", "ME", "Danilovgrad", 30,
              (CLASSROOM, DOCUMENT_LAB, COMPUTER_LAB, VEHICLE_PARK, CONFERENCE)),
    VenueSpec("Centar za obuku OSBiH Pazarić", "BA", "Pazarić, Hadžići", 80,
              (CLASSROOM, RANGE, FIELD, VEHICLE_PARK, MEDICAL_SIM, COMPUTER_LAB),
              (ClosureSpec(6, 14, 10, "Exercise „Zajednički napor“ — area reserved"),)),
    VenueSpec("Trening centar Granične policije BiH", "BA", "Sarajevo", 30,
              (CLASSROOM, DOCUMENT_LAB, COMPUTER_LAB, VEHICLE_PARK)),
    VenueSpec("Центар за обуку Пасуљанске ливаде", "RS", "Ћуприја", 120,
              (RANGE, FIELD, VEHICLE_PARK, CLASSROOM, ACCOMMODATION, MEDICAL_SIM, COMPUTER_LAB)),
    VenueSpec("Центар за обуку граничне полиције Врање", "RS", "Врање", 24,
              (CLASSROOM, DOCUMENT_LAB, VEHICLE_PARK, COMPUTER_LAB)),
    VenueSpec("Akademia e Kosovës për Siguri Publike", "XK", "Vushtrri", 40,
              (CLASSROOM, DOCUMENT_LAB, COMPUTER_LAB, VEHICLE_PARK, CONFERENCE)),
    VenueSpec("Defence Academy of the United Kingdom", "GB", "Shrivenham", 40,
              (CLASSROOM, COMPUTER_LAB, CONFERENCE, LANGUAGE_LAB, ACCOMMODATION)),
)
# fmt: on

# Plan-wide closure days, repeated each plan year: (month, day, nation or None, name).
PLAN_CLOSURES: tuple[tuple[int, int, str | None, str], ...] = (
    (12, 24, None, "Coordination cell stand-down"),
    (12, 31, None, "Coordination cell stand-down"),
    (7, 1, "MK", "Стратешки преглед на одбраната — ден без обука"),
)
