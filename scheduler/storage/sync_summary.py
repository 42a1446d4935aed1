"""What a sync wrote, in a planner's words: for the report and the change log."""

from __future__ import annotations

from scheduler.storage.sync_rows import Written

# Tables as planners call their records (the rest: the table's name in words).
RECORD_WORDS: dict[str, tuple[str, str]] = {
    "training_event": ("event", "events"),
    "event_series": ("series", "series"),
    "event_audience": ("audience", "audiences"),
    "event_instructor": ("event's instructor", "events' instructors"),
    "instructor_qualification": ("instructor's qualification", "instructors' qualifications"),
    "course_prerequisite": ("prerequisite", "prerequisites"),
    "course_qualification": ("course qualification", "course qualifications"),
    "capability_target": ("capability target", "capability targets"),
    "training_requirement": ("requirement", "requirements"),
    "trainee_posting": ("posting", "postings"),
    "partner_response": ("partner's reply", "partners' replies"),
    "conflict_acceptance": ("accepted conflict", "accepted conflicts"),
    "closure_day": ("closure day", "closure days"),
    "venue_closure": ("venue closure", "venue closures"),
    "plan_meta": ("plan setting", "plan settings"),
    "change_log": ("change-log line", "change-log lines"),
    "release": ("release", "releases"),
    "unavailability": ("absence", "absences"),
}


def record_word(table: str, count: int = 1) -> str:
    words = RECORD_WORDS.get(table)
    if words is None:
        plain = table.replace("_", " ")
        words = (plain, plain if plain.endswith("s") else f"{plain}s")
    return words[0] if count == 1 else words[1]


def written_text(written: Written) -> str:
    """'3 events changed, 1 venue added' (the change log's own lines left out)."""
    parts = []
    for verb, found in (
        ("added", written.inserted),
        ("changed", written.updated),
        ("removed", written.deleted),
    ):
        for table, keys in found.items():
            if table != "change_log" and keys:
                parts.append(f"{len(keys)} {record_word(table, len(keys))} {verb}")
    return ", ".join(parts) if parts else "nothing"
