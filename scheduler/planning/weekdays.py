"""A working week as a planner writes it: "Mon–Fri", "Sun-Thu", "Mon; Wed; Fri".

Weekdays are numbered as Python does (0 = Monday … 6 = Sunday). A range may
wrap round the weekend ("Sun-Thu"), as a Friday-Saturday weekend is written.
"""

from __future__ import annotations

from collections.abc import Iterable

DAY_NAMES: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
SHORT_NAMES: tuple[str, ...] = tuple(name[:3] for name in DAY_NAMES)
_BY_NAME: dict[str, int] = {
    **{name.casefold(): n for n, name in enumerate(DAY_NAMES)},
    **{name.casefold(): n for n, name in enumerate(SHORT_NAMES)},
}
_HELP = "Write the days as Mon–Fri, Sun–Thu or Mon; Tue; Thu."


def weekdays_text(days: Iterable[int]) -> str:
    """The shortest plain text: one run as "Mon–Fri", else the days listed."""
    chosen = sorted(set(days))
    if not chosen:
        return ""
    if len(chosen) == 7:
        return "Mon–Sun"
    # A run is consecutive modulo 7: find where it starts (after a gap).
    for start in chosen:
        run = [(start + i) % 7 for i in range(len(chosen))]
        if sorted(run) == chosen:
            if len(run) == 1:
                return SHORT_NAMES[start]
            return f"{SHORT_NAMES[run[0]]}–{SHORT_NAMES[run[-1]]}"
    return "; ".join(SHORT_NAMES[day] for day in chosen)


def _day(text: str) -> int:
    found = _BY_NAME.get(text.strip().casefold())
    if found is None:
        raise ValueError(f"“{text.strip()}” is not a day of the week. {_HELP}")
    return found


def parse_weekdays(text: str) -> list[int]:
    """The days a text names, sorted; ValueError with the planner's words."""
    days: set[int] = set()
    for part in text.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        for dash in ("–", "—", "-", " to "):
            if dash in part:
                low, high = (_day(side) for side in part.split(dash, 1))
                days.update((low + i) % 7 for i in range((high - low) % 7 + 1))
                break
        else:
            days.add(_day(part))
    if not days:
        raise ValueError(f"Name at least one working day. {_HELP}")
    return sorted(days)
