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
        "(password from $DEMO_PASSWORD, default 'demo'). Development only; safe to run again."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a known password and only runs with DEBUG=1."
            )
        password = os.environ.get("DEMO_PASSWORD") or "demo"
        with transaction.atomic():
            for pack in sorted(CONTENT_DIR.glob("*.yaml")):
                result = import_pack(pack)
                self.stdout.write(f"Loaded {pack.name}: {result.topic.title}.")
            ensure_demo_users(password)
        self.stdout.write("Demo accounts: student, mentor, admin.")


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
