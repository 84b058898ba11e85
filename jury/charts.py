"""The results page's chart: per nominee, how the jurors' weighted means lie on the scale.

One box per nominee, in the order of the page: a whisker from the lowest to the highest juror
mean, a box over the middle half (lower to upper quartile), a line at the median and a red mark
at the mean score. An aggregate, not a dot per juror: it stays small and readable with 250 rows
(the page's slice of 2,000), and it shows no single juror's mark.

Drawn on the server as SVG, served inside the page: no script, and no `style` attributes (the
Content-Security-Policy refuses inline styles), so every colour is a presentation attribute.
Every piece of text goes through `format_html`, which escapes it: a nominee's name is typed by a
nominator and must never become markup.

The chart is a picture of the results table, not a replacement for it: the table next to it
holds the same figures as text (lowest, quartiles, median, highest, mean), and the SVG says so
in its description.
"""

from collections.abc import Iterable, Sequence

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jury.reports import CandidateResult
from jury.templatetags.figures import figure_text

WIDTH = 640
MARGIN = 16
# The names take the left of the chart, the scale the rest.
PLOT_LEFT = 250
ROW_HEIGHT = 22
BOX_HEIGHT = 12
AXIS_HEIGHT = 40
NAME_LENGTH = 34

# Bootstrap's palette: the chart looks like the rest of the page.
TEXT = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
BOX = "#9ec5fe"
EDGE = "#0a58ca"
MEAN = "#dc3545"


def score_boxes(
    candidates: Sequence[CandidateResult],
    *,
    scale_min: float,
    scale_max: float,
    chart_id: str = "score-chart",
) -> SafeString:
    """The SVG: one box per nominee, in the order given (the page's order)."""
    top = AXIS_HEIGHT
    height = top + ROW_HEIGHT * len(candidates) + AXIS_HEIGHT
    scale = _Scale(scale_min, scale_max)
    rows = [
        _box(candidate, top + ROW_HEIGHT * index, scale)
        for index, candidate in enumerate(candidates)
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="score-chart" role="img" '
        'aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {width} {height}" width="100%" '
        'font-family="system-ui, sans-serif" font-size="12">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        '{grid}{top_axis}<g fill="{box}" stroke="{edge}">{rows}</g>{bottom_axis}</svg>',
        id=chart_id,
        width=WIDTH,
        height=height,
        title=_("How the jurors' scores lie per nominee"),
        description=_(
            "For each nominee, a line from the lowest to the highest juror mean, a box from the "
            "lower to the upper quartile, a line at the median and a red mark at the mean "
            "score. The results table holds the same figures."
        ),
        grid=_grid(scale, top, top + ROW_HEIGHT * len(candidates)),
        top_axis=_axis(scale, top - 6, above=True),
        box=BOX,
        edge=EDGE,
        rows=_join(rows),
        bottom_axis=_axis(scale, top + ROW_HEIGHT * len(candidates) + 6, above=False),
    )


class _Scale:
    def __init__(self, low: float, high: float):
        self.low, self.high = float(low), float(high)

    def x(self, value: float) -> str:
        share = (value - self.low) / (self.high - self.low)
        return _coordinate(PLOT_LEFT + share * (WIDTH - MARGIN - PLOT_LEFT))

    def ticks(self) -> list[int]:
        return list(range(int(self.low), int(self.high) + 1))


def _box(candidate: CandidateResult, top: int, scale: _Scale) -> SafeString:
    result = candidate.result
    lower, median, upper = result.quartiles
    middle = top + ROW_HEIGHT // 2
    name = candidate.nominee.name
    shown = name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1] + "…"
    # Short paths, their stroke from the chart's group: 250 boxes a page.
    return format_html(
        '<g class="candidate" data-nominee="{pk}"><title>{summary}</title>'
        '<text x="{margin}" y="{text_y}" fill="{text}" stroke="none">{name}</text>'
        '<path d="M{low} {y}H{high}"/>'
        '<rect class="score-box" x="{q1}" y="{box_y}" width="{box_width}" height="{box_height}"/>'
        '<path stroke-width="2" d="M{q2} {box_y}v{box_height}"/>'
        '<path class="raw-mean" stroke="{red}" stroke-width="3" '
        'd="M{mean} {mean_y}v{mean_height}"/>'
        "</g>",
        pk=candidate.nominee.pk,
        summary=_(
            "%(name)s: lowest %(lowest)s, lower quartile %(lower)s, median %(median)s, upper "
            "quartile %(upper)s, highest %(highest)s; mean score %(mean)s"
        )
        % {
            "name": name,
            "lowest": _number(result.minimum),
            "lower": _number(lower),
            "median": _number(median),
            "upper": _number(upper),
            "highest": _number(result.maximum),
            "mean": _number(result.raw_mean),
        },
        margin=MARGIN,
        text_y=middle + 4,
        text=TEXT,
        name=shown,
        low=scale.x(result.minimum),
        high=scale.x(result.maximum),
        y=middle,
        q1=scale.x(lower),
        box_y=middle - BOX_HEIGHT // 2,
        box_width=_coordinate(float(scale.x(upper)) - float(scale.x(lower))),
        box_height=BOX_HEIGHT,
        q2=scale.x(median),
        mean=scale.x(result.raw_mean),
        mean_y=middle - BOX_HEIGHT // 2 - 3,
        mean_height=BOX_HEIGHT + 6,
        red=MEAN,
    )


def _grid(scale: _Scale, top: int, bottom: int) -> SafeString:
    return format_html(
        '<g class="grid" stroke="{stroke}">{lines}</g>',
        stroke=GRID,
        lines=_join(
            format_html(
                '<line x1="{x}" x2="{x}" y1="{y1}" y2="{y2}"/>', x=scale.x(v), y1=top, y2=bottom
            )
            for v in scale.ticks()
        ),
    )


def _axis(scale: _Scale, y: int, *, above: bool) -> SafeString:
    label_y = y - 6 if above else y + 14
    ticks = [
        format_html(
            '<text x="{x}" y="{y}" text-anchor="middle" fill="{fill}">{value}</text>',
            x=scale.x(value),
            y=label_y,
            fill=TEXT,
            value=value,
        )
        for value in scale.ticks()
    ]
    return format_html(
        '<g class="axis"><line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{stroke}"/>'
        '{ticks}<text x="{middle}" y="{caption_y}" text-anchor="middle" fill="{muted}">'
        "{label}</text></g>",
        x1=scale.x(scale.low),
        x2=scale.x(scale.high),
        y=y,
        stroke=MUTED,
        ticks=_join(ticks),
        middle=MARGIN + 100,
        caption_y=label_y,
        muted=MUTED,
        label=_("Weighted mean score"),
    )


def _coordinate(value: float) -> str:
    return f"{value:.1f}"


def _number(value: float) -> str:
    # As the tables beside the chart write it.
    return figure_text(value)


def _join(parts: Iterable) -> SafeString:
    # Each part is already escaped markup; conditional_escape keeps it so and escapes
    # anything that is not.
    return mark_safe("".join(conditional_escape(part) for part in parts))  # noqa: S308
