"""The event editor dialog: course, dates, people, recurrence, live conflicts, free dates."""
