"""Re-encrypt every travel document with the first key of TRAVEL_DOCUMENT_KEYS (after adding a new key in front)."""

from django.core.management.base import BaseCommand

from registrations import services


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored travel document with the first key of TRAVEL_DOCUMENT_KEYS. Put the new key first, "
        "keep the old ones after it, run this, then remove the old keys."
    )

    def handle(self, *args, **options):
        count = services.travel_document_keys_rotate()
        self.stdout.write(f"Re-encrypted {count} travel document(s) with the first key.")
