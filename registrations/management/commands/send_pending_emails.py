"""Send queued e-mails that are due. For cron: `*/5 * * * * python manage.py send_pending_emails`."""

from django.core.management.base import BaseCommand, CommandError

from registrations.services import outbox


class Command(BaseCommand):
    help = (
        "Send queued e-mails that are due, retrying failures with backoff. Safe to run from several "
        "places at once: each message is claimed before it is sent, so none is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=20, help="Messages claimed at a time (default 20).")
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many in this run.")
        parser.add_argument(
            "--retry-now",
            action="store_true",
            help="Do not wait for each message's retry time (for example after fixing the mail settings).",
        )

    def handle(self, *args, batch: int, limit: int | None, retry_now: bool, **options):
        if batch < 1 or (limit is not None and limit < 0):
            raise CommandError("--batch must be at least 1 and --limit at least 0.")
        summary = outbox.outbox_send_due(batch=batch, limit=limit, ignore_backoff=retry_now)
        self.stdout.write(
            f"Sent {summary.sent}, failed {summary.retrying} (queued for a retry), "
            f"gave up on {summary.gave_up}; {outbox.outbox_queued_count()} queued now."
        )
