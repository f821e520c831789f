"""The first Party Committee leader, who then approves access in the app."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import account_create, bootstrap_open, bootstrapping

PASSWORD_ENV = "BOOTSTRAP_LEADER_PASSWORD"


class Command(BaseCommand):
    help = ("Create the first Party Committee leader (who approves access to personal data "
            "in the app). Only while no active Party Committee leader exists; logged and "
            "recorded on the account. The password is asked for, or read from "
            f"${PASSWORD_ENV} with --no-input.")

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, username, full_name, email, interactive, **options):
        if not bootstrap_open():
            raise CommandError(
                "An active Party Committee leader exists: propose new access in the "
                "administration; a leader approves it in the app.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The username {username!r} is taken.")
        password = os.environ.get(PASSWORD_ENV, "")
        if interactive and not password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        if not password:
            raise CommandError(f"No password: type it, or set ${PASSWORD_ENV}.")
        try:
            with bootstrapping(reason="bootstrap_leader"):
                user = account_create(
                    username=username, password=password, full_name=full_name, email=email,
                    organization=User.Organization.PARTY_COMMITTEE, role=User.Role.LEADER)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Party Committee leader {user.username} created. From now on, access to personal "
            "data is proposed by an administrator and approved by a leader in the app."))
