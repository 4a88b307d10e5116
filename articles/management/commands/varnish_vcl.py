"""Write the site include of deploy/varnish/newsroom.vcl for this installation."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.platform import varnish


class Command(BaseCommand):
    help = (
        "Write newsroom-site.vcl, the include of deploy/varnish/newsroom.vcl that names the app servers, the "
        "addresses allowed to purge (this machine and --purge-from), and the desk's path and session cookie "
        "from the settings. Put the folder it is written to first in varnishd's vcl_path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            action="append",
            metavar="HOST:PORT",
            help="An app server Varnish fetches from; repeat for several (default 127.0.0.1:8000).",
        )
        parser.add_argument(
            "--purge-from",
            default="",
            metavar="NETWORKS",
            help="Addresses or networks besides this machine allowed to purge, separated by spaces or commas.",
        )
        parser.add_argument(
            "--output", metavar="FILE", help=f"Where to write it (a folder gets {varnish.SITE_VCL}); default stdout."
        )

    def handle(self, *args, backend, purge_from, output, **options):
        purgers = [*varnish.LOCALHOST, *purge_from.replace(",", " ").split()]
        try:
            text = varnish.site_vcl(
                backends=backend or ["127.0.0.1:8000"],
                purgers=purgers,
                desk_path=settings.ADMIN_PATH,
                session_cookie=settings.SESSION_COOKIE_NAME,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not output:
            self.stdout.write(text, ending="")
            return
        path = Path(output)
        if path.is_dir():
            path = path / varnish.SITE_VCL
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
