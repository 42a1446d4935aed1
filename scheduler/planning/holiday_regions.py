"""Regions of a nation whose public holidays differ from the nation's own.

Bosnia and Herzegovina's two entities and Brčko District keep different
holidays (Orthodox New Year in Republika Srpska, 8 March in Brčko), so a venue names
its region and its courses follow that region's calendar. The codes are the
``holidays`` package's subdivision codes; a test keeps them valid there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HolidayRegion:
    nation: str  # the ``holidays`` country code the region belongs to
    code: str  # the ``holidays`` subdivision code
    name: str


HOLIDAY_REGIONS: tuple[HolidayRegion, ...] = (
    HolidayRegion("BA", "BIH", "Federation of Bosnia and Herzegovina"),
    HolidayRegion("BA", "SRP", "Republika Srpska"),
    HolidayRegion("BA", "BRC", "Brčko District"),
    HolidayRegion("GB", "ENG", "England"),
    HolidayRegion("GB", "NIR", "Northern Ireland"),
    HolidayRegion("GB", "SCT", "Scotland"),
    HolidayRegion("GB", "WLS", "Wales"),
)
_NAMES = {(r.nation, r.code): r.name for r in HOLIDAY_REGIONS}


def region_name(nation: str | None, code: str | None) -> str | None:
    """The region's name, or None when it is not one of the nation's."""
    if not nation or not code:
        return None
    return _NAMES.get((nation.upper(), code.upper()))


def regions_of(nation: str | None) -> tuple[HolidayRegion, ...]:
    return tuple(r for r in HOLIDAY_REGIONS if nation and r.nation == nation.upper())
