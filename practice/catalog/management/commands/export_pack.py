from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practice.catalog.models import Topic
from practice.catalog.packs import dump_yaml, export_pack


class Command(BaseCommand):
    help = "Print a topic and its prompts as a prompt pack (YAML), or write it with -o FILE."

    def add_arguments(self, parser):
        parser.add_argument("topic_slug")
        parser.add_argument("-o", "--output", type=Path, help="write to this file")

    def handle(self, *args, topic_slug: str, output: Path | None, **options):
        try:
            topic = Topic.objects.get(slug=topic_slug)
        except Topic.DoesNotExist:
            raise CommandError(f"No topic with slug {topic_slug!r}.") from None
        text = dump_yaml(export_pack(topic))
        if output is None:
            self.stdout.write(text, ending="")
        else:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from None
            self.stdout.write(f"Wrote {output}.")
