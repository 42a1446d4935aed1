"""The calendar page: month, week, day and agenda views of the plan's events."""
