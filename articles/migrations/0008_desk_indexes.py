"""Indexes for the desk at newsroom scale: a section's stories of every status newest first, wire ids."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_times_to_the_millisecond"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["primary_section", "-published_at"], name="article_desk_section_idx"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["source_id"], name="article_source_id_idx"),
        ),
    ]
