"""Repeating events: RFC 5545 RRULE text, its expansion, exceptions and overrides.

A series is stored as RRULE text without DTSTART plus an anchor start, a
list of removed occurrence starts and per-occurrence overrides (moved or
cancelled). Planners type or pick rules such as "every second Tuesday" or
"the first Monday of each month", so the text is parsed here with errors in
their words rather than handed raw to ``dateutil``, and only the parts the
program supports (DAILY/WEEKLY/MONTHLY, INTERVAL, BYDAY, BYMONTHDAY,
BYSETPOS, COUNT, UNTIL, WKST) are accepted.

Times are the venue's wall time: a weekly 09:00 course stays at 09:00 across
a daylight-saving change, whether the anchor is naive or has a ``tzinfo``.
Expansion always takes a window, so an endless rule costs what the window
holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from dateutil import rrule as du

from scheduler.errors import UserError
from scheduler.planning.wording import and_list, day_text


class RecurrenceError(UserError):
    """The recurrence rule text cannot be used; the message says why."""


FREQUENCIES = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_ORDINALS.update({-2: "second to last"})
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_SUPPORTED = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYSETPOS", "COUNT", "UNTIL", "WKST"}


@dataclass(frozen=True, slots=True)
class RecurrenceRule:
    """A parsed RRULE. ``byday`` holds (weekday 0=Monday, n or None) pairs:
    ``(0, 1)`` is "the first Monday", ``(4, -1)`` "the last Friday"."""

    freq: str
    interval: int = 1
    byday: tuple[tuple[int, int | None], ...] = ()
    bymonthday: tuple[int, ...] = ()
    bysetpos: tuple[int, ...] = ()
    count: int | None = None
    until: date | datetime | None = None
    wkst: int = 0

    @classmethod
    def parse(cls, text: str) -> RecurrenceRule:
        return parse_rule(text)

    def to_text(self) -> str:
        """Canonical RRULE text (without DTSTART), as stored in the plan."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.byday:
            parts.append(
                "BYDAY=" + ",".join(f"{n if n else ''}{WEEKDAYS[d]}" for d, n in self.byday)
            )
        if self.bymonthday:
            parts.append("BYMONTHDAY=" + ",".join(str(n) for n in self.bymonthday))
        if self.bysetpos:
            parts.append("BYSETPOS=" + ",".join(str(n) for n in self.bysetpos))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={_until_text(self.until)}")
        if self.wkst != 0:
            parts.append(f"WKST={WEEKDAYS[self.wkst]}")
        return ";".join(parts)

    def to_rrule(self, dtstart: datetime) -> du.rrule:
        byweekday = [du.weekday(d, n) if n else du.weekday(d) for d, n in self.byday] or None
        return du.rrule(
            FREQUENCIES[self.freq],
            dtstart=dtstart,
            interval=self.interval,
            wkst=self.wkst,
            count=self.count,
            until=_until_for(self.until, dtstart),
            byweekday=byweekday,
            bymonthday=list(self.bymonthday) or None,
            bysetpos=list(self.bysetpos) or None,
        )

    def describe(self) -> str:
        return describe(self)


def _fail(text: str, why: str) -> RecurrenceError:
    return RecurrenceError(f"The repeat rule “{text}” cannot be used: {why}.")


def _integer(text: str, name: str, value: str, low: int, high: int, *, signed: bool = False) -> int:
    """A number in ``low..high`` (or, when ``signed``, ``-high..-low`` too)."""
    try:
        number = int(value)
    except ValueError:
        raise _fail(text, f"{name} must be a whole number, not “{value}”") from None
    if not low <= (abs(number) if signed else number) <= high:
        allowed = f"{low} to {high} or -{low} to -{high}" if signed else f"{low} to {high}"
        raise _fail(text, f"{name} must be {allowed}, not {number}")
    return number


def parse_rule(text: str) -> RecurrenceRule:
    """Parse RRULE text (an optional ``RRULE:`` prefix is allowed)."""
    source = text
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    if not body:
        raise RecurrenceError("The repeat rule is empty.")
    fields: dict[str, str] = {}
    for part in body.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        name, value = name.strip().upper(), value.strip().upper()
        if not sep or not value:
            raise _fail(source, f"“{part}” is not of the form NAME=VALUE")
        if name not in _SUPPORTED:
            raise _fail(source, f"{name} is not supported")
        if name in fields:
            raise _fail(source, f"{name} is given twice")
        fields[name] = value
    freq = fields.get("FREQ")
    if freq is None:
        raise _fail(source, "it needs FREQ=DAILY, WEEKLY or MONTHLY")
    if freq not in FREQUENCIES:
        raise _fail(
            source, f"repeating {freq.lower()} is not supported; use DAILY, WEEKLY or MONTHLY"
        )
    interval = _integer(source, "INTERVAL", fields.get("INTERVAL", "1"), 1, 999)
    byday: list[tuple[int, int | None]] = []
    for item in filter(None, fields.get("BYDAY", "").split(",")):
        match = _BYDAY.match(item.strip())
        if match is None:
            raise _fail(source, f"“{item}” is not a day such as MO, TU or 1MO (first Monday)")
        n = int(match[1]) if match[1] else None
        if n is not None:
            if freq != "MONTHLY":
                raise _fail(source, f"“{item}” (a numbered weekday) needs FREQ=MONTHLY")
            if n == 0 or abs(n) > 5:
                raise _fail(source, f"“{item}”: a month has no weekday number {n}")
        byday.append((WEEKDAYS.index(match[2]), n))
    bymonthday = tuple(
        _integer(source, "BYMONTHDAY", v, 1, 31, signed=True)
        for v in filter(None, fields.get("BYMONTHDAY", "").split(","))
    )
    bysetpos = tuple(
        _integer(source, "BYSETPOS", v, 1, 366, signed=True)
        for v in filter(None, fields.get("BYSETPOS", "").split(","))
    )
    if bysetpos and not (byday or bymonthday):
        raise _fail(source, "BYSETPOS needs BYDAY or BYMONTHDAY to pick from")
    count = _integer(source, "COUNT", fields["COUNT"], 1, 10_000) if "COUNT" in fields else None
    until = _parse_until(source, fields["UNTIL"]) if "UNTIL" in fields else None
    if count is not None and until is not None:
        raise _fail(source, "give COUNT or UNTIL, not both")
    wkst = fields.get("WKST", "MO")
    if wkst not in WEEKDAYS:
        raise _fail(source, f"WKST must be a day such as MO, not “{wkst}”")
    return RecurrenceRule(
        freq=freq,
        interval=interval,
        byday=tuple(byday),
        bymonthday=bymonthday,
        bysetpos=bysetpos,
        count=count,
        until=until,
        wkst=WEEKDAYS.index(wkst),
    )


def _parse_until(source: str, value: str) -> date | datetime:
    try:
        if len(value) == 8:
            return datetime.strptime(value, "%Y%m%d").date()
        if value.endswith("Z"):
            return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return datetime.strptime(value, "%Y%m%dT%H%M%S")
    except ValueError:
        raise _fail(source, f"UNTIL “{value}” is not a date like 20271231") from None


def _until_text(until: date | datetime) -> str:
    if not isinstance(until, datetime):
        return until.strftime("%Y%m%d")
    if until.tzinfo is not None:
        return until.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return until.strftime("%Y%m%dT%H%M%S")


def _until_for(until: date | datetime | None, dtstart: datetime) -> datetime | None:
    """UNTIL in the form ``dateutil`` wants: as aware as DTSTART, a date
    meaning the whole of that day."""
    if until is None:
        return None
    if not isinstance(until, datetime):
        moment = datetime.combine(until, time(23, 59, 59))
        return moment.replace(tzinfo=dtstart.tzinfo) if dtstart.tzinfo else moment
    if dtstart.tzinfo is None:
        if until.tzinfo is not None:
            return until.astimezone(UTC).replace(tzinfo=None)
        return until
    if until.tzinfo is None:
        return until.replace(tzinfo=dtstart.tzinfo)
    return until


def rrule_text(rule: du.rrule) -> str:
    """The RRULE text of a ``dateutil`` rule (DTSTART left out)."""
    lines = [line for line in str(rule).splitlines() if line.startswith("RRULE:")]
    if not lines:
        raise RecurrenceError("This repeat rule has no RRULE part.")
    return parse_rule(lines[0][6:]).to_text()


def to_rrule(text: str, dtstart: datetime) -> du.rrule:
    return parse_rule(text).to_rrule(dtstart)


# -- expansion ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Override:
    """One occurrence changed on its own: moved (new start/end) or cancelled."""

    recurrence_id: datetime
    start: datetime | None = None
    end: datetime | None = None
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class Occurrence:
    recurrence_id: datetime
    start: datetime
    end: datetime
    cancelled: bool = False
    is_override: bool = False


@dataclass(frozen=True, slots=True)
class Series:
    """A repeating event as stored: rule text, anchor, length and changes.

    ``exdates`` may hold datetimes (that exact start removed) or dates (any
    occurrence starting that day removed). ``end_of`` computes an
    occurrence's end from its start when a fixed ``duration`` will not do
    (a course of N working days).
    """

    rule: str
    dtstart: datetime
    duration: timedelta = timedelta(hours=7)
    exdates: tuple[date | datetime, ...] = ()
    overrides: tuple[Override, ...] = ()
    end_of: Callable[[datetime], datetime] | None = field(default=None, compare=False)

    def parsed(self) -> RecurrenceRule:
        return parse_rule(self.rule)


def expand(
    series: Series,
    window_start: datetime,
    window_end: datetime,
    *,
    include_cancelled: bool = False,
) -> list[Occurrence]:
    """The occurrences that share time with [window_start, window_end), in start order.

    An occurrence moved into the window by an override is included even when
    its rule date lies outside; one moved out of the window is not.
    """
    rule = series.parsed().to_rrule(series.dtstart)
    removed_moments = {x for x in series.exdates if isinstance(x, datetime)}
    removed_days = {x for x in series.exdates if not isinstance(x, datetime)}
    overrides = {o.recurrence_id: o for o in series.overrides}

    def end_of(start: datetime) -> datetime:
        return series.end_of(start) if series.end_of is not None else start + series.duration

    def is_removed(moment: datetime) -> bool:
        return moment in removed_moments or moment.date() in removed_days

    found: dict[datetime, Occurrence] = {}
    reach = _longest_reach(series, end_of)
    for moment in rule.between(window_start - reach, window_end, inc=True):
        if is_removed(moment) or moment in overrides:
            continue
        end = end_of(moment)
        if moment < window_end and end > window_start:
            found[moment] = Occurrence(moment, moment, end)
    for rid, override in overrides.items():
        if is_removed(rid) or not _is_occurrence(rule, rid):
            continue
        start = override.start or rid
        end = override.end or end_of(start)
        if override.cancelled and not include_cancelled:
            continue
        if start < window_end and end > window_start:
            found[rid] = Occurrence(rid, start, end, override.cancelled, True)
    return sorted(found.values(), key=lambda o: (o.start, o.recurrence_id))


def _longest_reach(series: Series, end_of: Callable[[datetime], datetime]) -> timedelta:
    """How long before the window an occurrence may start and still reach in."""
    if series.end_of is None:
        return max(series.duration, timedelta(0))
    # Working-day lengths vary with holidays; a month covers any real course.
    return max(end_of(series.dtstart) - series.dtstart, timedelta(days=31))


def _is_occurrence(rule: du.rrule, moment: datetime) -> bool:
    return bool(rule.between(moment, moment, inc=True))


def occurrence_starts(
    rule_text: str, dtstart: datetime, first: datetime, last: datetime
) -> list[datetime]:
    """Rule dates between ``first`` and ``last`` inclusive (no exceptions applied)."""
    return list(to_rrule(rule_text, dtstart).between(first, last, inc=True))


# -- words ----------------------------------------------------------------


def _day_phrase(day: int, n: int | None) -> str:
    if n is None:
        return _DAY_NAMES[day]
    return f"the {_ORDINALS.get(n, f'{n}th')} {_DAY_NAMES[day]}"


def _monthday_phrase(n: int) -> str:
    if n == -1:
        return "the last day"
    if n < 0:
        return f"the {_ORDINALS.get(n, f'{-n}th to last')} day"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"the {n}{suffix}"


def describe(rule: RecurrenceRule | str) -> str:
    """A sentence a planner reads, e.g. "Monthly on the first Monday, 6 times"."""
    parsed = parse_rule(rule) if isinstance(rule, str) else rule
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month"}[parsed.freq]
    every = (
        {"DAILY": "Daily", "WEEKLY": "Weekly", "MONTHLY": "Monthly"}[parsed.freq]
        if parsed.interval == 1
        else f"Every {parsed.interval} {unit}s"
    )
    parts = [every]
    weekdays = sorted({d for d, _ in parsed.byday})
    if parsed.bysetpos and parsed.byday and all(n is None for _, n in parsed.byday):
        which = and_list(_ORDINALS.get(p, f"{p}th") for p in parsed.bysetpos)
        if weekdays == [0, 1, 2, 3, 4]:
            target = "weekday"
        elif weekdays == [5, 6]:
            target = "weekend day"
        else:
            target = "of " + and_list(_DAY_NAMES[d] for d in weekdays)
            target = f"day {target}"
        parts.append(f"on the {which} {target}")
    elif parsed.byday:
        parts.append("on " + and_list(_day_phrase(d, n) for d, n in parsed.byday))
    if parsed.bymonthday:
        parts.append("on " + and_list(_monthday_phrase(n) for n in parsed.bymonthday))
        if parsed.bysetpos:
            parts.append("(position " + ", ".join(str(p) for p in parsed.bysetpos) + ")")
    text = " ".join(parts)
    if parsed.count is not None:
        text += ", once" if parsed.count == 1 else f", {parsed.count} times"
    if parsed.until is not None:
        until = parsed.until.date() if isinstance(parsed.until, datetime) else parsed.until
        text += f", until {day_text(until)}"
    return text


def validate_exdates(values: Iterable[str]) -> tuple[date | datetime, ...]:
    """Exception dates as stored (ISO text) -> dates and datetimes."""
    found: list[date | datetime] = []
    for value in values:
        try:
            found.append(
                date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
            )
        except ValueError:
            raise RecurrenceError(f"“{value}” is not a date or a date and time.") from None
    return tuple(found)
