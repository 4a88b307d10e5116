"""PostgreSQL: keep each story's search document as a stored, generated column with its own GIN index.

Ranking read the document from the expression index's definition, so it built every matching story's
text-search vector again from its body; the stored column is read instead. SQLite keeps its FTS5 table.
"""

from django.db import migrations

POSTGRES_VECTOR = (
    "(setweight(to_tsvector('english', coalesce(headline, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(dek, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'C'))"
)
FORWARD = [
    f"ALTER TABLE articles_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS {POSTGRES_VECTOR} STORED",
    "CREATE INDEX articles_article_search_document ON articles_article USING GIN (search_document)",
    "DROP INDEX IF EXISTS articles_article_search_gin",
]
BACKWARD = [
    f"CREATE INDEX IF NOT EXISTS articles_article_search_gin ON articles_article USING GIN ({POSTGRES_VECTOR})",
    "DROP INDEX IF EXISTS articles_article_search_document",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_incoming_roles")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
