"""Reads for the secretariat's screening pages and exports. No state changes here."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from nominations.models import Edition, Nomination, Nominee


def editions() -> QuerySet[Edition]:
    # The announcement is joined because `Edition.phase` looks it up.
    return Edition.objects.select_related("announcement").order_by("-year")


def screening_queryset(edition: Edition, filters: dict) -> QuerySet[Nomination]:
    """The nominations of `edition` that the secretariat screens, narrowed by `filters`.

    `filters` holds the cleaned values of the screening filter form: `status`, `area`,
    `municipality`, `nominee_kind` and `q`; a missing or empty value does not filter. Without
    a status, drafts and withdrawn nominations are left out; drafts are never included.
    Everything the list and the exports show is fetched here, in a fixed number of queries.
    """
    if status := filters.get("status"):
        nominations = Nomination.objects.exclude(status=Nomination.Status.DRAFT).filter(
            status=status
        )
    else:
        nominations = Nomination.objects.submitted()
    nominations = nominations.filter(edition=edition)
    if area := filters.get("area"):
        nominations = nominations.filter(areas=area)
    if municipality := filters.get("municipality"):
        nominations = nominations.filter(municipalities=municipality)
    if nominee_kind := filters.get("nominee_kind"):
        nominations = nominations.filter(nominee_kind=nominee_kind)
    if query := (filters.get("q") or "").strip():
        nominations = nominations.filter(
            Q(reference_number__icontains=query)
            | Q(nominee__name__icontains=query)
            | Q(nominee_name__icontains=query)
            | Q(nominator_organisation_name__icontains=query)
            | Q(contact_name__icontains=query)
        )
    return (
        nominations.select_related("edition", "nominee", "nominee__organisation")
        .prefetch_related("areas", "municipalities")
        .order_by("nominee__name", "nominee_id", "submitted_at", "pk")
    )


@dataclass
class NomineeGroup:
    """One nominee and those of its nominations that the list shows."""

    nominee: Nominee | None
    nominations: list[Nomination] = field(default_factory=list)

    @property
    def name(self) -> str:
        # A submitted nomination always has a nominee; the fallback only guards old rows.
        return self.nominee.name if self.nominee else self.nominations[0].nominee_name


def group_by_nominee(nominations: QuerySet[Nomination]) -> list[NomineeGroup]:
    """Nominations grouped by nominee, in the queryset's order (which keeps a nominee's
    nominations together)."""
    groups: dict[int | None, NomineeGroup] = {}
    for nomination in nominations:
        key = nomination.nominee_id
        if key is None:
            # Never merge nominations that lack a nominee: each stands alone.
            key = -nomination.pk
        if key not in groups:
            groups[key] = NomineeGroup(nominee=nomination.nominee)
        groups[key].nominations.append(nomination)
    return list(groups.values())


def group_keys(nominations: QuerySet[Nomination]) -> tuple[list[int], int]:
    """The list's groups in the queryset's order, one key each (the nominee's id, or minus
    the nomination's own id when it has no nominee), and how many nominations they hold.

    Read as plain ids, so that a page of groups can be cut before any nomination is loaded
    whole: at 2,000 nominations, loading them all to show a hundred was most of the page."""
    keys: dict[int, None] = {}
    count = 0
    for nominee_id, pk in nominations.prefetch_related(None).values_list("nominee_id", "pk"):
        keys.setdefault(nominee_id if nominee_id is not None else -pk, None)
        count += 1
    return list(keys), count


def groups_of(nominations: QuerySet[Nomination], keys: list[int]) -> list[NomineeGroup]:
    """The groups named by `keys` (from `group_keys`), whole, in the queryset's order."""
    nominee_ids = [key for key in keys if key > 0]
    lone = [-key for key in keys if key < 0]
    return group_by_nominee(nominations.filter(Q(nominee_id__in=nominee_ids) | Q(pk__in=lone)))


def status_counts(edition: Edition) -> list[dict]:
    """How many of the edition's nominations are in each status, drafts left out."""
    counted = dict(
        Nomination.objects.filter(edition=edition)
        .exclude(status=Nomination.Status.DRAFT)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return [
        {"status": status, "label": label, "count": counted.get(status, 0)}
        for status, label in Nomination.Status.choices
        if status != Nomination.Status.DRAFT
    ]


def screenable_nominations() -> QuerySet[Nomination]:
    """Every nomination the secretariat may open: all but drafts, which are the nominator's
    alone until submitted."""
    return (
        Nomination.objects.exclude(status=Nomination.Status.DRAFT)
        .select_related(
            "edition",
            "edition__announcement",
            "nominee",
            "nominee__organisation",
            "nominator_organisation",
            "screened_by",
        )
        .prefetch_related("areas", "municipalities", "attachments")
    )


def other_nominations_of_nominee(nomination: Nomination) -> QuerySet[Nomination]:
    """The nominee's other nominations (by other nominators), drafts left out."""
    if nomination.nominee_id is None:
        return Nomination.objects.none()
    return (
        Nomination.objects.filter(nominee_id=nomination.nominee_id)
        .exclude(status=Nomination.Status.DRAFT)
        .exclude(pk=nomination.pk)
        .order_by("submitted_at", "pk")
    )


@dataclass(frozen=True)
class NomineeHistory:
    """What the platform knows of a nominee from earlier editions."""

    earlier: list  # Nominee rows of other editions: the same name, or the same organisation
    wins: list  # Editions whose published announcement names the nominee's organisation or name


def nominee_history(nominee: Nominee | None) -> NomineeHistory:
    """Recognise a repeat nominee or a past winner: by its name as the platform matches names,
    and by its organisation, one record across the years."""
    if nominee is None:
        return NomineeHistory(earlier=[], wins=[])
    same = Q(match_key=nominee.match_key)
    # Through the edition's reverse relation, as `Edition.phase` reads it: the nominations
    # app does not import the publication above it.
    won = Q(announcement__winner_name__iexact=nominee.name)
    if nominee.organisation_id:
        same |= Q(organisation_id=nominee.organisation_id)
        won |= Q(announcement__winner_organisation_id=nominee.organisation_id)
    earlier = (
        Nominee.objects.filter(same)
        .exclude(edition_id=nominee.edition_id)
        .select_related("edition")
        .order_by("-edition__year")
    )
    wins = Edition.objects.filter(won, announcement__published_at__isnull=False).select_related(
        "announcement"
    )
    return NomineeHistory(earlier=list(earlier), wins=list(wins.order_by("-year")))
