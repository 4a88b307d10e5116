"""Score the plain-text wire parser on a folder of samples with an editor's extraction beside each.

Prints one line per sample and the totals of the three figures defined in
``articles.interchange.scoring``: layout fields right, people F1 and titles exact. With
``--min-layout``, ``--min-people-f1`` or ``--min-titles`` it exits non-zero when a total falls
below its target, so CI can hold the parser to them.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.interchange.scoring import score_folder, total


def default_folder():
    """Return the development set beside the repository (../shared/wire-samples)."""
    return Path(settings.BASE_DIR).parent / "shared" / "wire-samples"


class Command(BaseCommand):
    help = "Score the wire parser on samples (NAME.txt beside NAME.expected.json): layout, people F1, titles."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", type=Path, help="Folder of samples (default ../shared/wire-samples).")
        parser.add_argument("--min-layout", type=float, help="Fail when layout fields right is below this share.")
        parser.add_argument("--min-people-f1", type=float, help="Fail when people F1 is below this.")
        parser.add_argument("--min-titles", type=float, help="Fail when titles exact is below this share.")
        parser.add_argument("--misses", action="store_true", help="List each wrong field under its sample.")

    def handle(self, *args, folder, min_layout, min_people_f1, min_titles, misses, **options):
        folder = folder or default_folder()
        if not folder.is_dir():
            raise CommandError(f"{folder}: no such folder")
        results = score_folder(folder)
        if not results:
            raise CommandError(f"{folder}: no NAME.txt with NAME.expected.json beside it")
        for result in results:
            score = result.score
            line = (
                f"{result.name}: layout {score.layout_right}/{score.layout_fields}"
                f"  people F1 {score.people_f1:.2f}  titles {score.titles_right}/{score.people_expected}"
            )
            self.stdout.write(line + (f"  REFUSED: {result.error}" if result.error else ""))
            if misses:
                for miss in score.misses:
                    self.stdout.write(f"    {miss}")
        overall = total(results)
        self.stdout.write(
            f"TOTAL ({len(results)} samples): layout fields right {overall.layout:.3f}"
            f" ({overall.layout_right}/{overall.layout_fields})"
            f"  people F1 {overall.people_f1:.3f}"
            f"  titles exact {overall.titles:.3f} ({overall.titles_right}/{overall.people_expected})"
        )
        failures = [
            f"{label} {value:.3f} < {target}"
            for label, value, target in (
                ("layout fields right", overall.layout, min_layout),
                ("people F1", overall.people_f1, min_people_f1),
                ("titles exact", overall.titles, min_titles),
            )
            if target is not None and value < target
        ]
        if failures:
            raise CommandError("below target: " + "; ".join(failures))
