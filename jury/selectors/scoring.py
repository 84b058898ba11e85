"""Reads for scoring: what a juror scores, how far they have come, what they read of a
nomination and what they saved. Shared by the views, the scoring services and the reminders.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext_lazy as _

from jury.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    Juror,
    Score,
    ScoreVersion,
    ScoringNote,
)
from jury.selectors import candidates
from jury.selectors.compiled import compiled
from jury.selectors.conflicts import undeclared_candidates
from kvinnofrid.translation import in_active_language
from nominations.models import Attachment, Edition, Nomination, Nominee
from nominations.validators import mask_personal_identity_numbers


def assigned_candidates(juror: Juror):
    """The candidates this juror scores: assigned to them and not effectively conflicted."""
    return (
        candidates(juror.edition)
        .filter(pk__in=Assignment.objects.filter(juror=juror).values("nominee_id"))
        .exclude(pk__in=_effective_conflicts(juror))
    )


def _effective_conflicts(juror: Juror):
    return ConflictDeclaration.objects.effective().filter(juror=juror).values("nominee_id")


class State(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SCORED = "scored", _("Scored")
    CONFLICTED = "conflicted", _("Conflict of interest – not scored by you")


@dataclass(frozen=True)
class CandidateProgress:
    nominee: Nominee
    state: State
    scored_criteria: int

    @property
    def label(self) -> str:
        return str(self.state.label)


@dataclass(frozen=True)
class ScoringProgress:
    """How far one juror has come: a row per candidate they see, conflicted ones included."""

    rows: tuple[CandidateProgress, ...]
    criteria: int

    @property
    def total(self) -> int:
        return sum(1 for row in self.rows if row.state != State.CONFLICTED)

    @property
    def scored(self) -> int:
        return sum(1 for row in self.rows if row.state == State.SCORED)

    @property
    def complete(self) -> bool:
        return self.scored == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.scored / self.total) if self.total else 100


def scoring_progress(juror: Juror) -> ScoringProgress:
    """Each candidate the juror was assigned or is conflicted on, with its state.

    A candidate is scored once it has a score for every criterion of the edition. Four
    queries, however many candidates.
    """
    edition = juror.edition
    criteria = Criterion.objects.filter(edition=edition).count()
    conflicted = set(_effective_conflicts(juror).values_list("nominee_id", flat=True))
    nominees = candidates(edition).filter(
        models.Q(pk__in=Assignment.objects.filter(juror=juror).values("nominee_id"))
        | models.Q(pk__in=conflicted)
    )
    counts = dict(
        Score.objects.filter(juror=juror, criterion__edition=edition)
        .values("nominee_id")
        .annotate(n=Count("pk"))
        .values_list("nominee_id", "n")
    )
    rows = []
    for nominee in nominees:
        scored = counts.get(nominee.pk, 0)
        if nominee.pk in conflicted:
            state = State.CONFLICTED
        elif criteria and scored >= criteria:
            state = State.SCORED
        elif scored:
            state = State.IN_PROGRESS
        else:
            state = State.NOT_STARTED
        rows.append(CandidateProgress(nominee=nominee, state=state, scored_criteria=scored))
    return ScoringProgress(rows=tuple(rows), criteria=criteria)


def score_version(juror: Juror, nominee: Nominee) -> int:
    """How many saves have changed the juror's scores or notes on the nominee (0 before the
    first): the scoring form carries it, and `save_scores` compares."""
    return (
        ScoreVersion.objects.filter(juror=juror, nominee=nominee)
        .values_list("version", flat=True)
        .first()
        or 0
    )


# --- What a juror reads of a nomination ------------------------------------------------------


@dataclass(frozen=True)
class MaskedText:
    label: str
    text: str


@dataclass(frozen=True)
class NominationForJuror:
    """What a juror may read of a nomination: no contact details, identity numbers masked."""

    reference_number: str
    nominating_organisation: str
    areas: list[str]
    municipalities: list[str]
    texts: list[MaskedText]
    attachments: list[str]


def _free_text_label(name: str) -> str:
    field = Nomination._meta.get_field(name)
    # The free texts are the nomination's own columns, never a relation.
    return str(field.verbose_name) if isinstance(field, models.Field) else name


def nominations_for_juror(nominee: Nominee) -> list[NominationForJuror]:
    """The nominee's eligible nominations as a juror may read them, oldest first. Two
    queries, however many nominations."""
    nominations = _nominations_read.rows(nominee_id=nominee.pk)
    listed = _listed_with(tuple(row[0] for row in nominations)) if nominations else {}
    return [
        NominationForJuror(
            reference_number=reference_number or "",
            nominating_organisation=organisation_name or registered_name or "",
            areas=[
                in_active_language(name, name_en) for name, name_en in listed.get((pk, _AREAS), [])
            ],
            municipalities=[name for name, _ in listed.get((pk, _MUNICIPALITIES), [])],
            texts=[
                MaskedText(label=_free_text_label(field), text=mask_personal_identity_numbers(text))
                for field, text in zip(Nomination.FREE_TEXT_FIELDS, texts, strict=True)
            ],
            attachments=[
                mask_personal_identity_numbers(name)
                for name, _ in listed.get((pk, _ATTACHMENTS), [])
            ],
        )
        for pk, reference_number, organisation_name, registered_name, *texts in nominations
    ]


@compiled
def _nominations_read(*, nominee_id: int):
    """Only what a juror reads of each nomination: never its contact details."""
    return (
        Nomination.objects.filter(nominee_id=nominee_id, status=Nomination.Status.ELIGIBLE)
        .order_by("submitted_at", "pk")
        .values_list(
            "pk",
            "reference_number",
            "nominator_organisation_name",
            "nominator_organisation__name",
            *Nomination.FREE_TEXT_FIELDS,
        )
    )


_AREAS, _MUNICIPALITIES, _ATTACHMENTS = "areas", "municipalities", "attachments"


def _listed_with(
    nomination_ids: tuple[int, ...],
) -> dict[tuple[int, str], list[tuple[str, str]]]:
    """The areas, municipalities and attachments of the nominations, in one query rather
    than a prefetch each: {(nomination id, which list): [(name, English name or "")]}, each
    list in its model's order (each part numbers its rows so)."""
    listed: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for nomination_id, kind, name, name_en, _rank in _listed_query.rows(
        nomination_ids=nomination_ids
    ):
        listed.setdefault((nomination_id, kind), []).append((name, name_en))
    return listed


@compiled
def _listed_query(*, nomination_ids: tuple[int, ...]):
    def part(rows: models.QuerySet, kind: str, name: str, name_en: str | None, *order: str):
        return (
            rows.filter(nomination_id__in=nomination_ids)
            .order_by()
            .annotate(
                kind=Value(kind),
                name=F(name),
                name_en=F(name_en) if name_en else Value(""),
                rank=Window(RowNumber(), order_by=[F(field).asc() for field in order]),
            )
            .values_list("nomination_id", "kind", "name", "name_en", "rank")
        )

    areas = part(
        Nomination.areas.through.objects.all(),
        _AREAS,
        "area__name",
        "area__name_en",
        "area__position",
        "area_id",
    )
    municipalities = part(
        Nomination.municipalities.through.objects.all(),
        _MUNICIPALITIES,
        "municipality__name",
        None,
        "municipality__name",
    )
    attachments = part(
        Attachment.objects.all(), _ATTACHMENTS, "original_name", None, "uploaded_at", "pk"
    )
    return areas.union(municipalities, attachments, all=True).order_by("rank")


# --- The scoring form -------------------------------------------------------------------------


def nominee_to_score(juror: Juror, nominee_id: int) -> Nominee | None:
    """The candidate the juror scores, or None (not a candidate, not assigned, or
    conflicted: the same None for each). It carries whether the juror has declared on every
    candidate (`declared_all`, see `conflicts.has_declared_all`: until then they score
    nothing), their private notes on it (`saved_notes`, "" if none) and the version of their
    saved scores on it (`saved_version`, see `score_version`). One query."""
    found = _nominee_query.objects(
        juror_id=juror.pk, edition_id=juror.edition_id, nominee_id=nominee_id
    )
    return found[0] if found else None


def _stand_in_juror(juror_id: int, edition_id: int) -> Juror:
    """A juror to build a query with: only its id and its edition's id are read."""
    return Juror(pk=juror_id, edition=Edition(pk=edition_id))


@compiled
def _nominee_query(*, juror_id: int, edition_id: int, nominee_id: int):
    juror = _stand_in_juror(juror_id, edition_id)
    mine = {"juror_id": juror_id, "nominee": OuterRef("pk")}
    return (
        assigned_candidates(juror)
        .filter(pk=nominee_id)
        .annotate(
            declared_all=~Exists(undeclared_candidates(juror)),
            saved_notes=Coalesce(
                Subquery(ScoringNote.objects.filter(**mine).values("text")[:1]),
                Value(""),
                output_field=models.TextField(),
            ),
            saved_version=Coalesce(
                Subquery(ScoreVersion.objects.filter(**mine).values("version")[:1]),
                Value(0),
                output_field=models.PositiveIntegerField(),
            ),
        )[:1]
    )


def criteria_with_scores(juror: Juror, nominee: Nominee) -> list[Criterion]:
    """The edition's criteria, each with the juror's saved `saved_value` (None when not
    scored) and `saved_comment` on the nominee. One query, however many criteria."""
    return _criteria_query.objects(
        juror_id=juror.pk, edition_id=juror.edition_id, nominee_id=nominee.pk
    )


@compiled
def _criteria_query(*, juror_id: int, edition_id: int, nominee_id: int):
    score = Score.objects.filter(juror_id=juror_id, nominee_id=nominee_id, criterion=OuterRef("pk"))
    return (
        Criterion.objects.filter(edition_id=edition_id)
        # The model's order within one edition, without joining the edition for its year.
        .order_by("position", "pk")
        .annotate(
            saved_value=Subquery(score.values("value")[:1]),
            saved_comment=Subquery(score.values("comment")[:1]),
        )
    )
