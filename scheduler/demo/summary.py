"""What a demo build produced: counts for the CLI and tests, and where the
deliberate clashes are so a test or a presenter can go straight to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class DemoSummary:
    seed: int
    first_day: date
    last_day: date
    # Events that ended before this day are delivered; later ones are not.
    as_of: date
    nations: int
    units: int
    courses: int
    qualifications: int
    instructors: int
    venues: int
    events: int
    requirements: int
    series: int
    targets: int
    # Events a large plan had to place despite a clash (none on the default plan).
    forced_events: int
    # (conflict rule id, refs of the events involved), one per demonstrated rule.
    deliberate_clashes: list[tuple[str, list[str]]]

    def counts(self) -> dict[str, int]:
        return {
            "nations": self.nations,
            "units": self.units,
            "courses": self.courses,
            "qualifications": self.qualifications,
            "instructors": self.instructors,
            "venues": self.venues,
            "events": self.events,
            "requirements": self.requirements,
            "series": self.series,
        }
