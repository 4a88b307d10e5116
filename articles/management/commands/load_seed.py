"""Load the project's fixtures into a new database, and leave an existing one alone."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles.models import Article


class Command(BaseCommand):
    help = "Load fixtures/*.json when the database holds no stories yet (so editors' changes are never overwritten)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even when stories exist.")

    def handle(self, *args, force, **options):
        fixtures = sorted(str(path) for path in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
        if not fixtures:
            raise CommandError("fixtures/ holds no .json fixture")
        existing = Article.objects.count()
        if existing and not force:
            stories = "story" if existing == 1 else "stories"
            self.stdout.write(
                f"The database already holds {existing} {stories}; fixtures not reloaded "
                "(load_seed --force loads them again: the wire's corrections arrive, the desk's changes stay)."
            )
            return
        call_command("loaddata", *fixtures, verbosity=options["verbosity"], stdout=self.stdout)
