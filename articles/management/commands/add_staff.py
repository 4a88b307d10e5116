"""Put an account on the desk as a reporter or an editor, optionally writing as a person."""

from django.core.management.base import BaseCommand

from articles.desk import people


class Command(BaseCommand):
    help = (
        "Put USERNAME on the desk (staff, in the Reporter or Editor group), making the account if it does not "
        "exist, and with --person link it to the person its stories are bylined to."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(people.ROLES), required=True)
        parser.add_argument("--person", metavar="NAME", help="The byline name; the person is made if new.")

    def handle(self, *args, username, role, person, **options):
        user, linked, password = people.add_staff(username=username, role=role, person_name=person)
        done = f"{user.get_username()} is on the desk as {people.ROLES[role].lower()}"
        if linked is not None:
            done += f", writing as {linked.name}"
        self.stdout.write(self.style.SUCCESS(f"{done}."))
        if password:
            self.stdout.write(
                f"The account is new; its password is {password!r}. It is shown once: "
                f"change it with manage.py changepassword {user.get_username()}."
            )
