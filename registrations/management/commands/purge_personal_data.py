"""Anonymise registrations of delegations that ended more than the retention period ago.

Cron-friendly: safe to run every night; it only touches registrations not yet anonymised.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from registrations import selectors, services
from registrations.services.privacy import personal_data_cutoff


class Command(BaseCommand):
    help = (
        "Anonymise the personal fields of registrations and invitations whose delegation ended more than "
        "PERSONAL_DATA_RETENTION_DAYS ago (counts and statuses are kept). --dry-run only reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would be anonymised; change nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        invitations = selectors.invitations_due_for_anonymisation(ended_before=personal_data_cutoff()).count()
        counts = services.personal_data_purge(dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        for delegation, count in counts.items():
            self.stdout.write(f"{verb} {count} registration(s) of '{delegation.slug}' (ended {delegation.ends_on}).")
        total = sum(counts.values())
        self.stdout.write(
            f"{verb} {total} registration(s) in total; retention {settings.PERSONAL_DATA_RETENTION_DAYS} days "
            f"(delegations that ended before {personal_data_cutoff()})."
        )
        self.stdout.write(f"{verb} {invitations} invitation(s) of those delegations.")
        travel = services.travel_documents_purge(dry_run=dry_run)
        travel_verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{travel_verb} {travel} travel document(s) and the passport values copied from them into host lists; "
            f"retention {settings.TRAVEL_DOCUMENT_RETENTION_DAYS} days "
            f"(delegations that ended before {services.travel_documents_cutoff()})."
        )
        if not dry_run:
            handovers = services.seat_handovers_purge()
            self.stdout.write(f"Deleted {handovers} seat handover(s) not accepted in time.")
