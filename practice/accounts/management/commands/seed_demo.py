import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from practice.accounts.roles import MENTORS_GROUP
from practice.catalog.packs import import_pack

CONTENT_DIR = Path(settings.BASE_DIR) / "practice" / "content"


class Command(BaseCommand):
    help = (
        "Load the shipped prompt packs and create the demo accounts student, mentor and admin "
        "(password from $DEMO_PASSWORD, default 'demo'). Development only; safe to run again. "
        "With --answers M, also add M realistic scored answers spread over --students N "
        "students and the past 12 weeks (the demo student gets at least 100 of them)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--students",
            type=int,
            default=None,
            help="Students sharing the added answers, the demo student included (default 10). "
            "Extra students are named demo-student-001 ... and share the demo password.",
        )
        parser.add_argument(
            "--answers",
            type=int,
            default=0,
            help="Scored answers to add; each run adds more. Default 0: accounts and content only.",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed, for repeatable demo data."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a known password and only runs with DEBUG=1."
            )
        students, answers = options["students"], options["answers"]
        if answers < 0 or (students is not None and students < 1):
            raise CommandError("--answers must be 0 or more and --students 1 or more.")
        password = os.environ.get("DEMO_PASSWORD") or "demo"
        with transaction.atomic():
            for pack in sorted(CONTENT_DIR.glob("*.yaml")):
                result = import_pack(pack)
                self.stdout.write(f"Loaded {pack.name}: {result.topic.title}.")
            ensure_demo_users(password)
        self.stdout.write("Demo accounts: student, mentor, admin.")
        if answers or students:
            # Imported here: the scoring engine loads its dictionary on first use.
            from practice.accounts.demo_data import add_demo_answers

            added = add_demo_answers(
                students=students or 10, answers=answers, password=password, seed=options["seed"]
            )
            self.stdout.write(
                f"Added {added.answers} scored answers ({added.reviews} reviewed) for "
                f"{added.students} students in {added.seconds:.1f} s."
            )


def ensure_demo_users(password: str) -> dict[str, User]:
    mentors, _ = Group.objects.get_or_create(name=MENTORS_GROUP)
    users = {}
    for username, is_staff in (("student", False), ("mentor", False), ("admin", True)):
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        user.is_staff = user.is_superuser = is_staff
        user.set_password(password)
        user.save()
        users[username] = user
    users["mentor"].groups.add(mentors)
    return users
