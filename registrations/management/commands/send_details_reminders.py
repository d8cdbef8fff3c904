"""Remind, once, confirmed delegates whose details are incomplete, a few days before the delegation's deadline (cron-friendly)."""

from django.core.management.base import BaseCommand

from registrations import services


class Command(BaseCommand):
    help = (
        "E-mail (through the outbox) every confirmed delegate who has not yet answered the required questions or given "
        "their travel documents, once, in the three days before their delegation's 'complete their details by'. Run hourly."
    )

    def handle(self, *args, **options):
        sent = services.details_due_reminders_send()
        self.stdout.write(f"Queued {sent} details reminder(s).")
