"""The rows of the results page's two tables, written in Python: 250 rows a page, a dozen
figures each, took nine tenths of the page's template rendering when the template wrote them.

The markup is the template's, byte for byte (templates/jury/results_figures.html places it).
Every piece of text is escaped: a nominee's name is typed by a nominator and must never
become markup; the figures and counts are numbers written by `figure_text` and `str`.
"""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jury.reports import CandidateResult
from jury.templatetags.figures import figure_text

# What follows each row in the template: a new line and the rows' indentation.
_ROW_END = "</tr>\n        "


def result_rows(candidates: Sequence[CandidateResult]) -> SafeString:
    """The results table's rows: figures, ranks and notes per nominee."""
    shared = f' <span class="badge text-bg-secondary tied">{escape(_("shared place"))}</span>'
    discuss = f'<span class="badge text-bg-warning discuss">{escape(_("Discuss"))}</span>'
    few = f'<span class="badge text-bg-info few-jurors">{escape(_("Few jurors"))}</span>'
    rows = []
    for candidate in candidates:
        r = candidate.result
        lower, median, upper = r.quartiles
        notes = " ".join(
            note for note, shown in ((discuss, r.discuss), (few, r.few_jurors)) if shown
        )
        rows.append(
            f'<tr class="candidate" data-nominee="{candidate.nominee.pk}">'
            f'<th scope="row" class="nominee-name">{escape(candidate.nominee.name)}</th>'
            f'<td class="raw-mean">{figure_text(r.raw_mean)}</td>'
            f'<td class="raw-rank">{r.raw_rank}{shared if r.raw_tied else ""}</td>'
            f'<td class="normalised-mean">{figure_text(r.normalised_mean)}</td>'
            f'<td class="normalised-rank">{r.normalised_rank}'
            f"{shared if r.normalised_tied else ''}</td>"
            f'<td class="juror-count">{r.juror_count}</td>'
            f'<td class="spread">{"–" if r.spread is None else figure_text(r.spread)}</td>'
            f'<td class="range">{figure_text(r.minimum)}–{figure_text(r.maximum)}</td>'
            f'<td class="quartiles">{figure_text(median)} '
            f"({figure_text(lower)}–{figure_text(upper)})</td>"
            f'<td class="notes">{notes}</td>{_ROW_END}'
        )
    return mark_safe("".join(rows))  # noqa: S308 - the names escaped, the rest numbers


def criteria_rows(candidates: Sequence[CandidateResult]) -> SafeString:
    """The per-criterion table's rows: each criterion's mean and how many scored it."""
    rows = []
    for candidate in candidates:
        cells = "".join(
            '<td class="criterion-mean">'
            f"{'–' if mean.mean is None else figure_text(mean.mean)} ({mean.count})</td>"
            for _criterion, mean in candidate.criteria
        )
        rows.append(
            f'<tr class="candidate-criteria" data-nominee="{candidate.nominee.pk}">'
            f'<th scope="row">{escape(candidate.nominee.name)}</th>{cells}{_ROW_END}'
        )
    return mark_safe("".join(rows))  # noqa: S308 - the names escaped, the rest numbers
