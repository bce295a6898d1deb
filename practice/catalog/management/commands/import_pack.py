from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practice.catalog.packs import import_pack
from practice.scoring import PackError


class Command(BaseCommand):
    help = "Create or update a topic and its prompts from a prompt pack (YAML or JSON), by slug."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            result = import_pack(file)
        except PackError as error:
            raise CommandError(f"{file}: {error}") from None
        self.stdout.write(
            f"{result.topic.slug}: {len(result.created)} prompt(s) created, "
            f"{len(result.updated)} updated."
        )
