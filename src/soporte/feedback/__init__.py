"""The feedback loop (SUPPORT.md "Feedback loop", READING.md §7): CSAT surveys on every
resolution, the weekly support review, recurrences ("anything that happens twice") and
post-mortems."""
