"""The nations every new plan starts with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NationSeed:
    code: str
    name: str
    time_zone: str
    languages: tuple[str, ...]
    releasability: str


NATIONS: tuple[NationSeed, ...] = (
    NationSeed("MK", "North Macedonia", "Europe/Skopje", ("mk", "sq"), "MKD"),
    NationSeed("AL", "Albania", "Europe/Tirane", ("sq",), "ALB"),
    NationSeed("ME", "Montenegro", "Europe/Podgorica", ("cnr", "sr"), "MNE"),
    NationSeed("BA", "Bosnia and Herzegovina", "Europe/Sarajevo", ("bs", "hr", "sr"), "BIH"),
    NationSeed("RS", "Serbia", "Europe/Belgrade", ("sr",), "SRB"),
    NationSeed("XK", "Kosovo", "Europe/Belgrade", ("sq", "sr"), "XKX"),
    NationSeed("GB", "United Kingdom", "Europe/London", ("en",), "GBR"),
)
