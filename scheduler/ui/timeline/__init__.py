"""The resource timeline: instructors, venues or units across days, a week to a year."""
