"""Send announcements that are due and visit reminders whose time has come. For cron, every minute."""

from django.core.management.base import BaseCommand

from registrations import services


class Command(BaseCommand):
    help = (
        "Send scheduled announcements that are due and the reminders of visits whose reminder time has come. "
        "Safe to run from several places at once: each person gets each message once (the database refuses a second)."
    )

    def handle(self, *args, **options):
        summary = services.scheduled_messages_send()
        self.stdout.write(
            f"Announcements sent: {summary.announcements} ({summary.announcement_emails} e-mails); "
            f"visit reminders: {summary.reminder_emails} e-mails."
        )
