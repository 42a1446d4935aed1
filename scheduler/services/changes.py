"""What a service call changed, so each view refreshes only when it must.

A service returns a ``Changes`` value naming the kinds of records it
touched; the window broadcasts it on one signal and every view checks
whether its kind is among them (Anki's ``OpChanges``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Changes:
    kinds: frozenset[str] = field(default_factory=frozenset)
    # Event ids whose timing or resources changed: the incremental check's input.
    event_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *kinds: str, event_ids: frozenset[int] = frozenset()) -> Changes:
        return cls(frozenset(kinds), event_ids)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.kinds | other.kinds, self.event_ids | other.event_ids)

    def touches(self, *kinds: str) -> bool:
        return bool(self.kinds & set(kinds)) or "plan" in self.kinds


EVERYTHING = Changes.of("plan")
