"""The jury's results read from the database, and the files the chair and the secretariat keep.

`load_results` turns an edition's criteria and scores into the plain rows `jury.results`
computes on, in a fixed number of queries however many nominees and jurors there are, and
hands back the figures with the Nominee and Juror rows they belong to. The exports (CSV,
XLSX) and the protocol (PDF) are built from it.

Conflicts of interest: a score given on a nominee the juror is effectively conflicted on
(declared, and not dismissed by a ruling) is left out, as if it had never been given. The
scoring service does not accept such scores; leaving them out here keeps a score given before
the conflict was declared from counting.

Scores count as soon as they are saved, whether or not their juror has submitted: the page
says how many jurors have submitted, so the figures read as provisional until all have.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib.humanize.templatetags.humanize import ordinal
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jury import results, selectors
from jury.models import (
    Ballot,
    ConflictDeclaration,
    Criterion,
    Decision,
    Juror,
    Score,
    ShortlistEntry,
)
from nominations.exports import neutralise, pdf_markup, stockholm_time
from nominations.models import Edition, Nominee

# Fewer jurors than this and every mean, normalised ones above all, rests on a handful of
# opinions: the page says so prominently. Operation Kvinnofrid's seven partners each send a
# juror, so a jury of seven or eight is the usual size.
SMALL_JURY = 5


# --- Loading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateResult:
    """One nominee's figures, with its mean per criterion next to the criterion row."""

    nominee: Nominee
    result: results.NominationResult
    criteria: tuple[tuple[Criterion, results.CriterionMean], ...]


@dataclass(frozen=True)
class JurorResult:
    """How one juror used the scale (for the chair and the secretariat only)."""

    juror: Juror
    summary: results.JurorSummary


@dataclass(frozen=True)
class ResultsReport:
    """An edition's results: nominees in rank order, and what the page needs to explain them.

    `jury` is every juror of the edition; `jurors` those who have scored, with how they used
    the scale (names: show them to the chair and the secretariat only). `conflicted` holds the
    (juror id, nominee id) pairs with an effective conflict of interest. `problem` holds the
    reason when the scores cannot be summarised (criteria on different scales, a score off
    its criterion's changed scale); the figures are then empty.
    """

    edition: Edition
    criteria: tuple[Criterion, ...]
    jury: tuple[Juror, ...]
    candidates: tuple[CandidateResult, ...]
    unscored: tuple[Nominee, ...]
    jurors: tuple[JurorResult, ...]
    computed: results.JuryResults | None
    conflicted: frozenset[tuple[int, int]]
    excluded_score_count: int
    problem: str | None = None

    @property
    def scale_min(self) -> int | None:
        return self.criteria[0].scale_min if self.criteria else None

    @property
    def scale_max(self) -> int | None:
        return self.criteria[0].scale_max if self.criteria else None

    @property
    def scoring_juror_count(self) -> int:
        return len(self.jurors)

    @property
    def submitted_count(self) -> int:
        return sum(1 for juror in self.jury if juror.scores_submitted_at is not None)

    @property
    def small_jury(self) -> bool:
        return 0 < self.scoring_juror_count < SMALL_JURY

    @property
    def thin_jurors(self) -> list[JurorResult]:
        """Jurors whose normalisation rests on fewer than `min_nominations` nominees."""
        return [juror for juror in self.jurors if juror.summary.few_nominations]

    @property
    def min_jurors(self) -> int:
        return self.computed.min_jurors if self.computed else results.DEFAULT_MIN_JURORS

    @property
    def min_nominations(self) -> int:
        return self.computed.min_nominations if self.computed else results.DEFAULT_MIN_NOMINATIONS

    @property
    def discussion_threshold(self) -> float | None:
        return self.computed.discussion_threshold if self.computed else None

    def juror_names(self) -> dict[int, str]:
        return {juror.pk: juror_name(juror) for juror in self.jury}

    def candidate_ids(self) -> list[int]:
        return [c.nominee.pk for c in self.candidates] + [n.pk for n in self.unscored]


def juror_name(juror: Juror) -> str:
    return str(juror.user)


def load_results(edition: Edition) -> ResultsReport:
    """The edition's results, in five queries whatever the size of the jury and the field."""
    criteria = tuple(edition.criteria.order_by("position", "pk"))
    jury = tuple(
        edition.jurors.select_related("user", "partner").order_by(
            "-role", "user__last_name", "user__first_name", "pk"
        )
    )
    nominees = list(selectors.candidates(edition))
    conflicted = frozenset(
        ConflictDeclaration.objects.effective()
        .filter(juror__edition=edition)
        .values_list("juror_id", "nominee_id")
    )
    rows = list(
        Score.objects.filter(
            juror__edition=edition,
            criterion__edition=edition,
            nominee__in=[nominee.pk for nominee in nominees],
        ).values_list("juror_id", "nominee_id", "criterion_id", "value")
    )
    scores = [
        results.Score(juror, nominee, criterion, value)
        for juror, nominee, criterion, value in rows
        if (juror, nominee) not in conflicted
    ]
    empty = ResultsReport(
        edition=edition,
        criteria=criteria,
        jury=jury,
        candidates=(),
        unscored=tuple(nominees),
        jurors=(),
        computed=None,
        conflicted=conflicted,
        excluded_score_count=len(rows) - len(scores),
    )
    if not criteria:
        return empty
    try:
        computed = results.compute_results(
            [results.Criterion(c.pk, c.weight, c.scale_min, c.scale_max) for c in criteria],
            scores,
        )
    except ValueError as error:
        return replace(empty, problem=str(error))

    by_pk = {nominee.pk: nominee for nominee in nominees}
    scored = {result.nomination_id for result in computed.nominations}
    jurors_by_pk = {juror.pk: juror for juror in jury}
    return ResultsReport(
        edition=edition,
        criteria=criteria,
        jury=jury,
        candidates=tuple(
            CandidateResult(
                nominee=by_pk[result.nomination_id],
                result=result,
                criteria=tuple(zip(criteria, result.criteria, strict=True)),
            )
            for result in computed.nominations
        ),
        unscored=tuple(nominee for nominee in nominees if nominee.pk not in scored),
        jurors=tuple(
            JurorResult(jurors_by_pk[summary.juror_id], summary) for summary in computed.jurors
        ),
        computed=computed,
        conflicted=conflicted,
        excluded_score_count=empty.excluded_score_count,
    )


def raw_scores(report: ResultsReport) -> list[tuple[Score, bool]]:
    """Every score on the edition's nominees, with whether it was left out for a conflict."""
    scores = (
        Score.objects.filter(
            juror__edition=report.edition,
            criterion__edition=report.edition,
            nominee__in=report.candidate_ids(),
        )
        .select_related("juror__user", "nominee", "criterion")
        .order_by(
            "nominee__name",
            "nominee__pk",
            "juror__user__last_name",
            "juror__user__first_name",
            "juror__pk",
            "criterion__position",
            "criterion__pk",
        )
    )
    return [(score, (score.juror_id, score.nominee_id) in report.conflicted) for score in scores]


# --- The final vote and the protocol ---------------------------------------------------------


@dataclass(frozen=True)
class VoteSummary:
    """The final round: the shortlist (by name), the tie-break order and the Schulze count.

    `count` is None while no ballot has been submitted.
    """

    shortlist: tuple[Nominee, ...]
    tie_break_order: tuple[Nominee, ...]
    count: results.SchulzeResult | None

    def nominee(self, pk: int) -> Nominee:
        return next(nominee for nominee in self.shortlist if nominee.pk == pk)

    @property
    def winner(self) -> Nominee | None:
        if self.count is None or self.count.winner is None:
            return None
        return self.nominee(self.count.winner)

    def explanation(self) -> str:
        """How the winner was found, in a sentence (the engine's own sentence names ids)."""
        if self.count is None:
            return _("No ballots have been submitted.")
        winner = self.winner
        if winner is None:
            return _("There is no winner.")
        if len(self.count.potential_winners) == 1:
            return _(
                "%(winner)s wins: its strongest path to every other shortlisted nominee is at "
                "least as strong as the path back, and no other nominee can say the same."
            ) % {"winner": winner.name}
        return _(
            "%(tied)s are tied on their strongest paths. The tie is broken by the jury's "
            "normalised scores, in which %(winner)s comes first."
        ) % {
            "tied": ", ".join(self.nominee(pk).name for pk in self.count.potential_winners),
            "winner": winner.name,
        }


def tie_break_order(nominees: Iterable[Nominee], report: ResultsReport) -> list[Nominee]:
    """By normalised score, highest first; nominees nobody scored last; then by name."""
    normalised = {c.nominee.pk: c.result.normalised_mean for c in report.candidates}

    def key(nominee: Nominee):
        mean = normalised.get(nominee.pk)
        return (mean is None, -(mean or 0.0), nominee.name.casefold(), nominee.pk)

    return sorted(nominees, key=key)


def countable_ballots(edition, shortlisted: set[int], conflicted) -> list[results.Ballot]:
    """The submitted ballots as the count reads them: shortlisted nominees only, and each
    juror abstaining on the nominees they are effectively conflicted on (even when the
    conflict was declared after the ballot), so their ballot counts neither for nor against
    those nominees. `conflicted` holds (juror id, nominee id) pairs."""
    ballots = []
    for juror_id, ranking in Ballot.objects.filter(
        juror__edition=edition, submitted_at__isnull=False
    ).values_list("juror_id", "ranking"):
        abstains = {pk for pk in shortlisted if (juror_id, pk) in conflicted}
        ballots.append(
            results.Ballot.from_groups(
                juror_id,
                ([pk for pk in group if pk in shortlisted - abstains] for group in ranking),
                abstains=abstains,
            )
        )
    return ballots


def load_vote(report: ResultsReport) -> VoteSummary | None:
    """The Schulze count of the submitted ballots; None when there is no shortlist.

    A ballot abstains on the nominees its juror is effectively conflicted on (see
    `countable_ballots`).
    """
    edition = report.edition
    shortlist = [
        entry.nominee
        for entry in ShortlistEntry.objects.filter(edition=edition)
        .select_related("nominee")
        .order_by("nominee__name", "nominee__pk")
    ]
    if not shortlist:
        return None
    order = tie_break_order(shortlist, report)
    shortlisted = {nominee.pk for nominee in shortlist}
    ballots = countable_ballots(edition, shortlisted, report.conflicted)
    count = None
    if ballots:
        count = results.schulze(
            [nominee.pk for nominee in shortlist],
            ballots,
            tie_break_order=[nominee.pk for nominee in order],
            tie_break_name="the jury's normalised scores",
        )
    return VoteSummary(shortlist=tuple(shortlist), tie_break_order=tuple(order), count=count)


@dataclass(frozen=True)
class Protocol:
    """Everything the protocol records; a part that does not exist yet is None or empty."""

    report: ResultsReport
    conflicts: tuple[ConflictDeclaration, ...]
    vote: VoteSummary | None
    decision: Decision | None
    honourable_mentions: tuple[Nominee, ...]
    generated_at: datetime


def load_protocol(edition: Edition) -> Protocol:
    report = load_results(edition)
    conflicts = tuple(
        ConflictDeclaration.objects.filter(juror__edition=edition, conflicted=True)
        .select_related("juror__user", "nominee", "ruled_by")
        .order_by("nominee__name", "juror__user__last_name", "juror__user__first_name", "pk")
    )
    decision = (
        Decision.objects.filter(edition=edition).select_related("winner", "decided_by").first()
    )
    mentions = tuple(decision.honourable_mentions.order_by("name")) if decision else ()
    return Protocol(
        report=report,
        conflicts=conflicts,
        vote=load_vote(report),
        decision=decision,
        honourable_mentions=mentions,
        generated_at=timezone.now(),
    )


# --- Tables shared by the CSV and the XLSX ---------------------------------------------------


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def results_table(report: ResultsReport) -> tuple[list[str], list[list]]:
    """Per nominee, in rank order: the figures of the results page."""
    header = [
        _("Nominee"),
        _("Mean score"),
        _("Rank (mean score)"),
        _("Shared rank (mean score)"),
        _("Normalised score"),
        _("Rank (normalised score)"),
        _("Shared rank (normalised score)"),
        _("Jurors"),
        _("Spread (standard deviation)"),
        _("Lowest"),
        _("Highest"),
        _("Discuss"),
        _("Few jurors"),
    ]
    rows = [
        [
            c.nominee.name,
            c.result.raw_mean,
            c.result.raw_rank,
            _yes_no(c.result.raw_tied),
            c.result.normalised_mean,
            c.result.normalised_rank,
            _yes_no(c.result.normalised_tied),
            c.result.juror_count,
            c.result.spread,
            c.result.minimum,
            c.result.maximum,
            _yes_no(c.result.discuss),
            _yes_no(c.result.few_jurors),
        ]
        for c in report.candidates
    ]
    return header, rows


def criteria_table(report: ResultsReport) -> tuple[list[str], list[list]]:
    """Per nominee (in rank order) and criterion: the mean raw score and how many gave one."""
    header = [_("Nominee"), _("Criterion"), _("Weight"), _("Mean score"), _("Jurors")]
    rows = [
        [c.nominee.name, criterion.display_name, criterion.weight, mean.mean, mean.count]
        for c in report.candidates
        for criterion, mean in c.criteria
    ]
    return header, rows


def scores_table(report: ResultsReport) -> tuple[list[str], list[list]]:
    """Every juror's every score, with the comment: for the chair and the secretariat only."""
    header = [
        _("Juror"),
        _("Nominee"),
        _("Criterion"),
        _("Score"),
        _("Comment"),
        _("Left out (conflict of interest)"),
    ]
    rows = [
        [
            juror_name(score.juror),
            score.nominee.name,
            score.criterion.display_name,
            score.value,
            score.comment,
            _yes_no(left_out),
        ]
        for score, left_out in raw_scores(report)
    ]
    return header, rows


def _sections(report: ResultsReport) -> list[tuple[str, list[str], list[list]]]:
    return [
        (_("Results"), *results_table(report)),
        (_("Per criterion"), *criteria_table(report)),
        (_("Scores"), *scores_table(report)),
    ]


# --- CSV -------------------------------------------------------------------------------------


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Swedish Excel, for which the file is written (see `results_csv`), reads a decimal
        # comma; four places keep the figures comparable without float noise.
        return f"{value:.4f}".replace(".", ",")
    return str(value)


def results_csv(report: ResultsReport) -> bytes:
    """The results as CSV for Excel in Sweden: three sections, each a title row, a header row
    and its rows, separated by an empty row.

    Semicolons and UTF-8 with a byte order mark, as in the nominations export; text cells
    (names and comments that people typed) are neutralised against formulas.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for index, (title, header, rows) in enumerate(_sections(report)):
        if index:
            writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_cell(neutralise(value)) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


# --- XLSX ------------------------------------------------------------------------------------


def _xlsx_cell(value):
    value = neutralise(value)
    if isinstance(value, str):
        # Characters XML cannot hold (pasted from word processors) would make openpyxl fail.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def results_xlsx(report: ResultsReport) -> bytes:
    """The results as an Excel workbook: one sheet per section, numbers kept as numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in _sections(report):
        sheet = workbook.create_sheet(title[:31])  # Excel's limit for a sheet name
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(value) for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index in range(1, len(header) + 1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = 40 if index == 1 else 16
            for cell in sheet[letter][1:]:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The protocol (PDF) ----------------------------------------------------------------------


def _date(moment: datetime | None) -> str:
    local = stockholm_time(moment)
    return local.strftime("%Y-%m-%d %H:%M") if local else "–"


def _number(value: float | None) -> str:
    # Round first: number_format cuts a float's decimals off (8/3 would read 2.66).
    return "–" if value is None else number_format(round(value, 2), decimal_pos=2)


def _styles() -> dict[str, ParagraphStyle]:
    # reportlab's built-in Helvetica speaks Windows-1252, which has å, ä and ö.
    sample = getSampleStyleSheet()
    return {
        "title": sample["Title"],
        "heading": sample["Heading2"],
        "subheading": sample["Heading4"],
        "body": ParagraphStyle("body", parent=sample["Normal"], spaceAfter=2 * mm),
        "cell": ParagraphStyle("cell", parent=sample["Normal"], fontSize=8, leading=10),
        "head": ParagraphStyle(
            "head", parent=sample["Normal"], fontName="Helvetica-Bold", fontSize=8, leading=10
        ),
    }


def _table(header: Sequence[str], rows: Sequence[Sequence], styles, widths=None) -> Table:
    data = [[Paragraph(pdf_markup(text), styles["head"]) for text in header]]
    data += [[Paragraph(pdf_markup(text), styles["cell"]) for text in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _paragraphs(texts: Iterable[str], style) -> list[Paragraph]:
    return [Paragraph(pdf_markup(text), style) for text in texts]


def protocol_story(protocol: Protocol) -> list:
    """The protocol's flowables, section by section, in the order of the jury's work."""
    styles = _styles()
    report = protocol.report
    edition = report.edition
    story = [
        Paragraph(
            pdf_markup(_("Protocol of the jury: %(edition)s") % {"edition": edition}),
            styles["title"],
        ),
        *_paragraphs(
            [
                _("Kvinnofridspriset is awarded for the %(ordinal)s time.")
                % {"ordinal": ordinal(edition.ordinal)},
                _("Generated %(when)s.") % {"when": _date(protocol.generated_at)},
            ],
            styles["body"],
        ),
    ]
    story += _jury_section(report, styles)
    story += _conflicts_section(protocol.conflicts, styles)
    story += _scores_section(report, styles)
    story += _vote_section(protocol.vote, styles)
    story += _decision_section(protocol, styles)
    return story


def _not_yet(styles) -> Paragraph:
    return Paragraph(pdf_markup(_("Not yet recorded.")), styles["body"])


def _jury_section(report: ResultsReport, styles) -> list:
    story = [Paragraph(pdf_markup(_("The jury")), styles["heading"])]
    if not report.jury:
        return [*story, _not_yet(styles)]
    rows = [
        [
            juror_name(juror),
            juror.get_role_display(),
            juror.partner.display_name if juror.partner else "–",
            _date(juror.scores_submitted_at),
        ]
        for juror in report.jury
    ]
    header = [_("Name"), _("Role"), _("Represents"), _("Scores submitted")]
    return [*story, _table(header, rows, styles, [55 * mm, 25 * mm, 60 * mm, 30 * mm])]


def _conflicts_section(conflicts: Sequence[ConflictDeclaration], styles) -> list:
    story = [Paragraph(pdf_markup(_("Conflicts of interest")), styles["heading"])]
    if not conflicts:
        return [
            *story,
            Paragraph(pdf_markup(_("No conflicts of interest declared.")), styles["body"]),
        ]
    rows = [
        [
            juror_name(declaration.juror),
            declaration.nominee.name,
            "\n".join(filter(None, [_date(declaration.declared_at), declaration.reason])),
            "\n".join(
                filter(None, [str(declaration.get_ruling_display()), declaration.ruling_reason])
            ),
            "\n".join(
                [
                    str(declaration.ruled_by) if declaration.ruled_by else "–",
                    _date(declaration.ruled_at),
                ]
            ),
        ]
        for declaration in conflicts
    ]
    header = [_("Juror"), _("Nominee"), _("Declared"), _("Ruling"), _("Ruled by")]
    return [*story, _table(header, rows, styles, [32 * mm, 32 * mm, 36 * mm, 40 * mm, 30 * mm])]


def _scores_section(report: ResultsReport, styles) -> list:
    story = [Paragraph(pdf_markup(_("The scores")), styles["heading"])]
    if report.problem:
        text = _("The scores cannot be summarised: %(problem)s") % {"problem": report.problem}
        return [*story, Paragraph(pdf_markup(text), styles["body"])]
    if not report.candidates:
        return [*story, _not_yet(styles)]
    criteria = "; ".join(
        _("%(name)s (weight %(weight)s)") % {"name": c.display_name, "weight": c.weight}
        for c in report.criteria
    )
    story += _paragraphs(
        [
            _("Criteria, on a scale of %(low)s to %(high)s: %(criteria)s.")
            % {"low": report.scale_min, "high": report.scale_max, "criteria": criteria},
            _("Jurors who have scored: %(scored)s. Scores submitted: %(submitted)s of %(jury)s.")
            % {
                "scored": report.scoring_juror_count,
                "submitted": report.submitted_count,
                "jury": len(report.jury),
            },
        ],
        styles["body"],
    )
    header = [
        _("Rank"),
        _("Nominee"),
        _("Mean score"),
        _("Normalised score"),
        _("Jurors"),
        _("Spread"),
        _("Lowest–highest"),
        _("Notes"),
    ]
    rows = []
    for c in report.candidates:
        r = c.result
        notes = [
            *([_("shared place")] if r.raw_tied else []),
            *([_("Discuss")] if r.discuss else []),
            *([_("Few jurors")] if r.few_jurors else []),
        ]
        rows.append(
            [
                str(r.raw_rank),
                c.nominee.name,
                _number(r.raw_mean),
                f"{_number(r.normalised_mean)} ({r.normalised_rank})",
                str(r.juror_count),
                _number(r.spread),
                f"{_number(r.minimum)}–{_number(r.maximum)}",
                ", ".join(notes),
            ]
        )
    widths = [12 * mm, 46 * mm, 18 * mm, 22 * mm, 14 * mm, 16 * mm, 22 * mm, 20 * mm]
    story.append(_table(header, rows, styles, widths))
    if report.unscored:
        story.append(Spacer(1, 2 * mm))
        text = _("Not scored: %(names)s.") % {
            "names": ", ".join(nominee.name for nominee in report.unscored)
        }
        story.append(Paragraph(pdf_markup(text), styles["body"]))
    return story


def _vote_section(vote: VoteSummary | None, styles) -> list:
    story = [Paragraph(pdf_markup(_("The final vote")), styles["heading"])]
    if vote is None or vote.count is None:
        return [*story, _not_yet(styles)]
    count = vote.count
    labels = [f"{index}. {nominee.name}" for index, nominee in enumerate(vote.shortlist, 1)]
    story += _paragraphs(
        [
            _("Shortlist: %(names)s.") % {"names": "; ".join(labels)},
            ngettext(
                "%(count)s ballot counted by the Schulze method.",
                "%(count)s ballots counted by the Schulze method.",
                count.ballot_count,
            )
            % {"count": count.ballot_count},
        ],
        styles["body"],
    )
    for title, explanation, matrix in [
        (
            _("Pairwise preferences"),
            _("Each cell: how many ballots rank the row's nominee above the column's."),
            count.preferences,
        ),
        (
            _("Strongest paths"),
            _(
                "Each cell: the strength of the strongest path from the row's nominee to the "
                "column's."
            ),
            count.strongest_paths,
        ),
    ]:
        story.append(Paragraph(pdf_markup(title), styles["subheading"]))
        story.append(Paragraph(pdf_markup(explanation), styles["body"]))
        header = ["", *(str(index) for index in range(1, len(labels) + 1))]
        rows = [
            [label, *("–" if i == j else str(value) for j, value in enumerate(matrix[i]))]
            for i, label in enumerate(labels)
        ]
        story.append(_table(header, rows, styles))
    story.append(Spacer(1, 2 * mm))
    winner = vote.winner
    story += _paragraphs(
        [
            _("Winner of the vote: %(name)s") % {"name": winner.name if winner else "–"},
            vote.explanation(),
        ],
        styles["body"],
    )
    return story


def _decision_section(protocol: Protocol, styles) -> list:
    story = [Paragraph(pdf_markup(_("The jury's decision")), styles["heading"])]
    decision = protocol.decision
    if decision is None:
        return [*story, _not_yet(styles)]
    mentions = ", ".join(nominee.name for nominee in protocol.honourable_mentions)
    for label, text in [
        (_("Winner"), decision.winner.name),
        (_("Honourable mentions"), mentions or _("None")),
        (_("Minutes"), decision.minutes),
        (_("Decided by"), str(decision.decided_by)),
        (_("Decided"), _date(decision.decided_at)),
    ]:
        story.append(Paragraph(pdf_markup(label), styles["subheading"]))
        story.append(Paragraph(pdf_markup(text), styles["body"]))
    return story


def protocol_pdf(protocol: Protocol) -> bytes:
    """The protocol as a PDF for the archive.

    Pages are left uncompressed, like the nominations' PDFs: their text can be searched with
    plain tools (and by the tests) without a PDF library.
    """
    edition = protocol.report.edition
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        pageCompression=0,
        title=_("Protocol of the jury: %(edition)s") % {"edition": edition},
        author="Kvinnofridspriset",
        subject=str(edition),
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    document.build(protocol_story(protocol))
    return buffer.getvalue()
