"""Plain factory functions: the smallest valid rows, with any field overridden."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Authorship, Image, Mention, Person, RelatedLink, Section

_counter = itertools.count(1)


def make_section(**overrides):
    n = next(_counter)
    fields = {"name": f"Section {n}", "slug": f"section-{n}"}
    fields.update(overrides)
    return Section.objects.create(**fields)


def make_person(**overrides):
    n = next(_counter)
    fields = {"name": f"Person Number{n}", "slug": f"person-{n}", "job_title": "Reporter"}
    fields.update(overrides)
    return Person.objects.create(**fields)


def make_image(**overrides):
    fields = {"caption": "A street in the rain.", "credit": "AP", "alt_text": "A wet street at dusk"}
    fields.update(overrides)
    return Image.objects.create(**fields)


def make_article(**overrides):
    n = next(_counter)
    fields = {
        "headline": f"Story number {n} makes the news",
        "slug": f"story-{n}",
        "dek": f"What happened in story {n}.",
        "body": f"<p>First paragraph of story {n}.</p>\n<p>Second paragraph.</p>",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=1),
    }
    fields.update(overrides)
    if "primary_section" not in fields:
        fields["primary_section"] = make_section()
    return Article.objects.create(**fields)


def add_author(article, person=None, **overrides):
    return Authorship.objects.create(article=article, person=person or make_person(), **overrides)


def add_mention(article, person=None, title="", **overrides):
    return Mention.objects.create(article=article, person=person or make_person(), title=title, **overrides)


def add_link(article, **overrides):
    fields = {"position": article.related_links.count(), "title": "Elsewhere", "url": "https://example.org/"}
    fields.update(overrides)
    return RelatedLink.objects.create(article=article, **fields)


def make_staff(username="editor", **overrides):
    fields = {"is_staff": True, "is_superuser": True}
    fields.update(overrides)
    return get_user_model().objects.create_user(username=username, password="correct horse battery", **fields)


def make_desk_user(username, group):
    """Return a staff account in the Reporter or Editor group, which a migration creates."""
    from django.contrib.auth.models import Group

    if not Group.objects.filter(name=group).exists():
        # A test that commits (live server, page cache) empties every table afterwards, groups included:
        # make them again as migrating does.
        import importlib

        from django.apps import apps

        importlib.import_module("articles.migrations.0006_desk_roles").create_roles(apps, None)
    user = get_user_model().objects.create_user(
        username=username, password="correct horse battery", is_staff=True, first_name=username.title()
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def run_waiting_tasks():
    """Run the background tasks that are due, in this process and the test's transaction, as a worker would.

    Each is claimed and run by django-tasks-db's own Worker.run_task; Worker.run itself cannot be used
    here, since it closes a connection that is inside a transaction.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    )
    ran = 0
    while (row := DBTaskResult.objects.ready().first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)
        ran += 1
    return ran
