"""Full-text search indexes: FTS5 with triggers on SQLite, a GIN expression index on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE articles_search USING fts5(
        headline, dek, body, tokenize = 'unicode61 remove_diacritics 2'
    )""",
    """INSERT INTO articles_search (rowid, headline, dek, body)
       SELECT id, headline, dek, body FROM articles_article""",
    # Triggers keep the index in step with every writer, raw fixture loads and bulk inserts included.
    """CREATE TRIGGER articles_search_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_search (rowid, headline, dek, body) VALUES (new.id, new.headline, new.dek, new.body);
    END""",
    """CREATE TRIGGER articles_search_delete AFTER DELETE ON articles_article BEGIN
        DELETE FROM articles_search WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER articles_search_update AFTER UPDATE OF headline, dek, body ON articles_article BEGIN
        UPDATE articles_search SET headline = new.headline, dek = new.dek, body = new.body WHERE rowid = new.id;
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_search_update",
    "DROP TRIGGER IF EXISTS articles_search_delete",
    "DROP TRIGGER IF EXISTS articles_search_insert",
    "DROP TABLE IF EXISTS articles_search",
]
POSTGRES_VECTOR = (
    "(setweight(to_tsvector('english', coalesce(headline, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(dek, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'C'))"
)
POSTGRES_FORWARD = [f"CREATE INDEX articles_article_search_gin ON articles_article USING GIN ({POSTGRES_VECTOR})"]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS articles_article_search_gin"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
