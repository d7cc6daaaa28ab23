"""The knowledge base's search index: the entries and vocabulary tables, then each engine's
index over the entries (SQLite: an FTS5 table with external content, kept in step by
triggers; PostgreSQL: the ``unaccent`` and ``pg_trgm`` extensions, the ``kb_spanish`` and
``kb_english`` configurations that fold accents before stemming, a generated weighted
``tsvector`` with a GIN index, a trigram index over the vocabulary), and the articles there
are indexed (``kb.search.index.rebuild``)."""

import django.db.models.deletion
from django.db import migrations, models

FTS_COLUMNS = "title, text, title_stems, text_stems"
NEW = "new.title, new.text, new.title_stems, new.text_stems"
OLD = "old.title, old.text, old.title_stems, old.text_stems"
SQLITE = [
    f"CREATE VIRTUAL TABLE kb_search_fts USING fts5({FTS_COLUMNS}, content='kb_searchentry',"
    " content_rowid='article_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER kb_search_ai AFTER INSERT ON kb_searchentry BEGIN"
    f" INSERT INTO kb_search_fts(rowid, {FTS_COLUMNS}) VALUES (new.article_id, {NEW}); END",
    "CREATE TRIGGER kb_search_ad AFTER DELETE ON kb_searchentry BEGIN"
    f" INSERT INTO kb_search_fts(kb_search_fts, rowid, {FTS_COLUMNS})"
    f" VALUES ('delete', old.article_id, {OLD}); END",
    "CREATE TRIGGER kb_search_au AFTER UPDATE ON kb_searchentry BEGIN"
    f" INSERT INTO kb_search_fts(kb_search_fts, rowid, {FTS_COLUMNS})"
    f" VALUES ('delete', old.article_id, {OLD});"
    f" INSERT INTO kb_search_fts(rowid, {FTS_COLUMNS}) VALUES (new.article_id, {NEW}); END",
]
SQLITE_UNDO = [
    "DROP TRIGGER kb_search_au",
    "DROP TRIGGER kb_search_ad",
    "DROP TRIGGER kb_search_ai",
    "DROP TABLE kb_search_fts",
]
TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def _vector(configuration: str) -> str:
    return (
        f"setweight(to_tsvector('{configuration}'::regconfig, title), 'A')"
        f" || setweight(to_tsvector('{configuration}'::regconfig, text), 'B')"
    )


POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TEXT SEARCH CONFIGURATION kb_spanish (COPY = pg_catalog.spanish)",
    f"ALTER TEXT SEARCH CONFIGURATION kb_spanish ALTER MAPPING FOR {TOKENS}"
    " WITH unaccent, spanish_stem",
    "CREATE TEXT SEARCH CONFIGURATION kb_english (COPY = pg_catalog.english)",
    f"ALTER TEXT SEARCH CONFIGURATION kb_english ALTER MAPPING FOR {TOKENS}"
    " WITH unaccent, english_stem",
    "ALTER TABLE kb_searchentry ADD COLUMN search tsvector GENERATED ALWAYS AS"
    f" (CASE WHEN language = 'en' THEN {_vector('kb_english')}"
    f" ELSE {_vector('kb_spanish')} END) STORED",
    # fastupdate off: no pending list, which the planner prices as a scan of the table, so a
    # freshly loaded index is used at once (articles are written seldom, one at a time)
    "CREATE INDEX kb_search_vector ON kb_searchentry USING gin (search) WITH (fastupdate = off)",
    "CREATE INDEX kb_search_word_trigram ON kb_searchword USING gin (word gin_trgm_ops)"
    " WITH (fastupdate = off)",
]
POSTGRESQL_UNDO = [
    "DROP INDEX kb_search_word_trigram",
    "DROP INDEX kb_search_vector",
    "ALTER TABLE kb_searchentry DROP COLUMN search",
    "DROP TEXT SEARCH CONFIGURATION kb_english",
    "DROP TEXT SEARCH CONFIGURATION kb_spanish",
]


def _engine(forward: bool):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            statements = POSTGRESQL if forward else POSTGRESQL_UNDO
        else:
            statements = SQLITE if forward else SQLITE_UNDO
        for statement in statements:
            schema_editor.execute(statement)

    return run


def _rebuild(apps, schema_editor):  # type: ignore[no-untyped-def]
    from soporte.kb.search.index import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0003_pinned_faq_rule"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="kb.article",
                        verbose_name="article",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("es", "Español"), ("en", "English")],
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("text", models.TextField(verbose_name="text")),
                ("title_stems", models.TextField(verbose_name="title stems")),
                ("text_stems", models.TextField(verbose_name="text stems")),
            ],
            options={
                "verbose_name": "search entry",
                "verbose_name_plural": "search entries",
            },
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("es", "Español"), ("en", "English")],
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                ("word", models.CharField(max_length=40, verbose_name="word")),
                ("spelling", models.CharField(max_length=40, verbose_name="spelling")),
                ("articles", models.PositiveIntegerField(default=0, verbose_name="articles")),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
                "constraints": [
                    models.UniqueConstraint(fields=("language", "word"), name="kb_search_word")
                ],
            },
        ),
        migrations.RunPython(_engine(True), _engine(False)),
        migrations.RunPython(_rebuild, migrations.RunPython.noop),
    ]
