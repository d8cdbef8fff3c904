"""Reads for sources: the short-link lookup, per-source counts and a delegation's source report.

Registrations keep their source as a code (``Registration.source``); counts join on
delegation + code in subqueries, so a list of sources is one query whatever its length.
A code with no Source row (typed by hand, or a source deleted) is still counted, as an
"unknown source" in the delegation's source report.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from registrations.models import Delegation, Registration, Source, SourceScan

Status = Registration.Status


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """COUNT(*) of a correlated queryset, as an annotation (0 when there is no row)."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def sources_with_counts() -> QuerySet[Source]:
    """Sources annotated with scan_count (robots excluded), registration_count and confirmed_count."""
    registrations = Registration.objects.filter(delegation=OuterRef("delegation"), source=OuterRef("code"))
    scans = SourceScan.objects.filter(source=OuterRef("pk")).exclude(device=SourceScan.Device.BOT)
    return Source.objects.select_related("delegation").annotate(
        scan_count=_count(scans, "source"),
        registration_count=_count(registrations, "delegation"),
        confirmed_count=_count(registrations.filter(status=Status.CONFIRMED), "delegation"),
    )


def source_for_short_link(*, code: str) -> Source | None:
    """The source a printed short link ``/q/<code>`` names, with its delegation."""
    return Source.objects.select_related("delegation").filter(code=code).first()


def conversion(registrations: int, scans: int) -> str:
    """Registrations per scan as a percentage, or a dash with no scan."""
    return f"{100 * registrations / scans:.0f}%" if scans else "—"


@dataclass(frozen=True)
class SourceRow:
    label: str
    code: str
    scans: int | None  # None: not counted (no short link)
    registrations: int
    confirmed: int
    source: Source | None = None

    @property
    def conversion(self) -> str:
        return conversion(self.registrations, self.scans or 0)


def source_report(*, delegation: Delegation) -> list[SourceRow]:
    """Every source of a delegation: its sources, then unknown codes, then direct (no code). Two queries."""
    sources = list(sources_with_counts().filter(delegation=delegation).order_by("name", "pk"))
    rows = [SourceRow(s.name, s.code, s.scan_count, s.registration_count, s.confirmed_count, s) for s in sources]
    others = (
        Registration.objects.filter(delegation=delegation)
        .exclude(source__in=[s.code for s in sources])
        .values("source")
        .annotate(total=Count("pk"), confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)))
        .order_by("source")
    )
    direct = None
    for row in others:
        if row["source"]:
            rows.append(SourceRow(_("unknown source"), row["source"], None, row["total"], row["confirmed"]))
        else:
            direct = SourceRow(_("no source (direct link)"), "", None, row["total"], row["confirmed"])
    return rows + ([direct] if direct else [])
