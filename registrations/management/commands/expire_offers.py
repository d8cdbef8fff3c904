"""Expire seat offers and e-mail holds past their deadline, offer freed seats, send confirmation reminders (cron-friendly)."""

from django.core.management.base import BaseCommand

from registrations import services
from registrations.models import Delegation


class Command(BaseCommand):
    help = (
        "Expire waiting-list offers, unconfirmed e-mail holds and invitations past their deadline; offer the freed "
        "seats; send the one reminder to confirm an e-mail address at half time. Run every few minutes."
    )

    def handle(self, *args, **options):
        offers = reminders = 0
        for delegation in Delegation.objects.order_by("pk"):
            offers += len(services.seats_settle(delegation=delegation))
            reminders += services.email_confirm_reminders_send(delegation=delegation)
        self.stdout.write(f"Made {offers} new offer(s). Sent {reminders} confirmation reminder(s).")
