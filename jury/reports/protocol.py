"""The jury's protocol as a PDF for the archive.

Built with reportlab from a loaded `Protocol` (`load_protocol`), section by section in the
order of the jury's work: the jury, the conflicts of interest and their rulings, the scores,
the final vote and the decision.
"""

import io
from collections.abc import Iterable, Sequence

from django.contrib.humanize.templatetags.humanize import ordinal
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jury.models import ConflictDeclaration
from jury.reports.loading import Protocol, ResultsReport, juror_name
from jury.selectors import vote as vote_selectors
from kvinnofrid.pdf import paragraph_styles, pdf_date, pdf_markup


def _number(value: float | None) -> str:
    # Round first: number_format cuts a float's decimals off (8/3 would read 2.66).
    return "–" if value is None else number_format(round(value, 2), decimal_pos=2)


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
    styles = paragraph_styles()
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
                _("Generated %(when)s.") % {"when": pdf_date(protocol.generated_at)},
            ],
            styles["body"],
        ),
    ]
    story += _jury_section(report, styles)
    story += _conflicts_section(protocol.conflicts, styles)
    story += _scores_section(report, styles)
    if protocol.vote_withheld:
        story += [
            Paragraph(pdf_markup(_("The final vote")), styles["section"]),
            Paragraph(
                pdf_markup(
                    _("Not shown to you: you have a conflict of interest on a shortlisted nominee.")
                ),
                styles["body"],
            ),
        ]
    else:
        story += _vote_section(protocol.vote, styles)
    story += _decision_section(protocol, styles)
    return story


def _not_yet(styles) -> Paragraph:
    return Paragraph(pdf_markup(_("Not yet recorded.")), styles["body"])


def _jury_section(report: ResultsReport, styles) -> list:
    story = [Paragraph(pdf_markup(_("The jury")), styles["section"])]
    if not report.jury:
        return [*story, _not_yet(styles)]
    rows = [
        [
            juror_name(juror),
            juror.get_role_display(),
            juror.partner.display_name if juror.partner else "–",
            pdf_date(juror.scores_submitted_at),
        ]
        for juror in report.jury
    ]
    header = [_("Name"), _("Role"), _("Represents"), _("Scores submitted")]
    return [*story, _table(header, rows, styles, [55 * mm, 25 * mm, 60 * mm, 30 * mm])]


def _conflicts_section(conflicts: Sequence[ConflictDeclaration], styles) -> list:
    story = [Paragraph(pdf_markup(_("Conflicts of interest")), styles["section"])]
    if not conflicts:
        return [
            *story,
            Paragraph(pdf_markup(_("No conflicts of interest declared.")), styles["body"]),
        ]
    rows = [
        [
            juror_name(declaration.juror),
            declaration.nominee.name,
            "\n".join(filter(None, [pdf_date(declaration.declared_at), declaration.reason])),
            "\n".join(
                filter(None, [str(declaration.get_ruling_display()), declaration.ruling_reason])
            ),
            "\n".join(
                [
                    str(declaration.ruled_by) if declaration.ruled_by else "–",
                    pdf_date(declaration.ruled_at),
                ]
            ),
        ]
        for declaration in conflicts
    ]
    header = [_("Juror"), _("Nominee"), _("Declared"), _("Ruling"), _("Ruled by")]
    story.append(_table(header, rows, styles, [32 * mm, 32 * mm, 36 * mm, 40 * mm, 30 * mm]))
    # The history: every declaration, withdrawal request and ruling, as it happened.
    history = [
        [
            juror_name(declaration.juror),
            declaration.nominee.name,
            pdf_date(event.at),
            str(event.get_kind_display()),
            str(event.by),
            event.reason,
        ]
        for declaration in conflicts
        for event in declaration.events.all()
    ]
    if history:
        header = [_("Juror"), _("Nominee"), _("When"), _("What"), _("By"), _("Why")]
        widths = [28 * mm, 28 * mm, 24 * mm, 28 * mm, 28 * mm, 34 * mm]
        story.append(
            Paragraph(pdf_markup(_("The history of the declarations")), styles["subheading"])
        )
        story.append(_table(header, history, styles, widths))
    return story


def _scores_section(report: ResultsReport, styles) -> list:
    story = [Paragraph(pdf_markup(_("The scores")), styles["section"])]
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


def _vote_section(vote: "vote_selectors.VoteCount | None", styles) -> list:
    story = [Paragraph(pdf_markup(_("The final vote")), styles["section"])]
    if vote is None or not vote.ballot_count:
        return [*story, _not_yet(styles)]
    count = vote.schulze
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
            vote.explanation,
        ],
        styles["body"],
    )
    return story


def _decision_section(protocol: Protocol, styles) -> list:
    story = [Paragraph(pdf_markup(_("The jury's decision")), styles["section"])]
    decision = protocol.decision
    if decision is None:
        return [*story, _not_yet(styles)]
    mentions = ", ".join(nominee.name for nominee in protocol.honourable_mentions)
    for label, text in [
        (_("Winner"), decision.winner.name),
        (_("Honourable mentions"), mentions or _("None")),
        (_("Minutes"), decision.minutes),
        (_("Decided by"), str(decision.decided_by)),
        (_("Decided"), pdf_date(decision.decided_at)),
    ]:
        story.append(Paragraph(pdf_markup(label), styles["subheading"]))
        story.append(Paragraph(pdf_markup(text), styles["body"]))
    if decision.recorded_as == decision.RecordedAs.SECRETARIAT:
        story.append(
            Paragraph(
                pdf_markup(
                    _(
                        "Recorded by the secretariat: the chair has a conflict of interest on "
                        "a shortlisted nominee."
                    )
                ),
                styles["body"],
            )
        )
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
