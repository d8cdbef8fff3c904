"""Update or compile the translation catalogues with Babel: `make messages`, `make compile`."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "extract: merge every marked string into locale/*/LC_MESSAGES/django.po. compile: write the .mo files."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["extract", "compile"])

    def handle(self, *args, action: str, **options):
        from registrations.core import catalogue  # Babel is a development dependency (requirements-dev.txt).

        if action == "extract":
            for language, empty in catalogue.update_catalogues().items():
                self.stdout.write(f"{catalogue.po_path(language)}: {empty} message(s) to translate.")
            self.stdout.write("Fill every empty msgstr, then run `make compile`.")
        else:
            for path in catalogue.compile_catalogues():
                self.stdout.write(f"Wrote {path}")
