"""Bring the shipped directory (events/data/) into the database; safe to run any number of times."""

from django.core.management.base import BaseCommand

from events import directory
from events.models import Organization


class Command(BaseCommand):
    help = (
        "Load or update the directory shipped with Plenary: member states' Permanent Missions "
        "and Governments, observer states, UN entities and regional organizations."
    )

    def handle(self, *args, **options):
        result = directory.load(Organization)
        self.stdout.write(
            self.style.SUCCESS(
                f"Directory: {result.created} added, {result.updated} updated, "
                f"{result.adopted} matched to entries added by hand, {result.unchanged} unchanged, "
                f"{result.removed} removed."
            )
        )
        if result.kept:
            self.stdout.write(
                "No longer shipped but kept, because events or registrations name them: "
                + ", ".join(result.kept)
            )
