"""The similar-ticket index over ``TicketWording.terms``: SQLite FTS5 (external content, kept in
step by triggers), PostgreSQL a generated ``tsvector`` with a GIN index."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE feedback_wording_fts USING fts5(terms, content='feedback_ticketwording',"
    " content_rowid='ticket_id', detail=none)",
    "CREATE TRIGGER feedback_wording_ai AFTER INSERT ON feedback_ticketwording BEGIN"
    " INSERT INTO feedback_wording_fts(rowid, terms) VALUES (new.ticket_id, new.terms); END",
    "CREATE TRIGGER feedback_wording_ad AFTER DELETE ON feedback_ticketwording BEGIN"
    " INSERT INTO feedback_wording_fts(feedback_wording_fts, rowid, terms)"
    " VALUES ('delete', old.ticket_id, old.terms); END",
    "CREATE TRIGGER feedback_wording_au AFTER UPDATE ON feedback_ticketwording BEGIN"
    " INSERT INTO feedback_wording_fts(feedback_wording_fts, rowid, terms)"
    " VALUES ('delete', old.ticket_id, old.terms);"
    " INSERT INTO feedback_wording_fts(rowid, terms) VALUES (new.ticket_id, new.terms); END",
]
SQLITE_UNDO = [
    "DROP TRIGGER feedback_wording_au",
    "DROP TRIGGER feedback_wording_ad",
    "DROP TRIGGER feedback_wording_ai",
    "DROP TABLE feedback_wording_fts",
]
POSTGRESQL = [
    "ALTER TABLE feedback_ticketwording ADD COLUMN search tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED",
    "CREATE INDEX feedback_wording_search ON feedback_ticketwording USING gin (search)",
]
POSTGRESQL_UNDO = [
    "DROP INDEX feedback_wording_search",
    "ALTER TABLE feedback_ticketwording DROP COLUMN search",
]


def _run(forward: bool):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            statements = SQLITE if forward else SQLITE_UNDO
        else:
            statements = POSTGRESQL if forward else POSTGRESQL_UNDO
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("feedback", "0004_recurrences")]

    operations = [migrations.RunPython(_run(True), _run(False))]
