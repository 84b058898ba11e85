"""The results page's chart: per nominee, the jurors' weighted means as dots on the scale.

Drawn on the server as SVG, served inside the page: no script, and no `style` attributes (the
Content-Security-Policy refuses inline styles), so every colour is a presentation attribute.
Every piece of text goes through `format_html`, which escapes it: a nominee's name is typed by a
nominator and must never become markup.

The chart is a picture of the results table, not a replacement for it: the table next to it
holds the same figures as text, and the SVG says so in its description.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jury.reports import CandidateResult

WIDTH = 640
MARGIN = 24
ROW_HEIGHT = 52
TOP = 8
AXIS_HEIGHT = 44
DOT_RADIUS = 5
# Dots of jurors with (nearly) the same mean are stacked this far apart, so none hides another.
DOT_STACK = 7
NAME_LENGTH = 80

# Bootstrap's palette: the chart looks like the rest of the page.
TEXT = "#212529"
MUTED = "#6c757d"
TRACK = "#dee2e6"
RANGE = "#adb5bd"
DOT = "#0d6efd"
MEAN = "#dc3545"


def score_strips(
    candidates: Sequence[CandidateResult],
    *,
    scale_min: float,
    scale_max: float,
    juror_names: Mapping[int, str] | None,
    chart_id: str = "score-chart",
) -> SafeString:
    """The SVG: one strip per nominee, in the order given (the results' rank order).

    Each strip shows the lowest to highest juror mean as a grey bar and the mean score as a
    red mark. With `juror_names` (for the chair and the secretariat) each juror's weighted
    mean is a dot titled with the juror's name; without it (for a jury member, who must not
    see the others' scores) there are no dots.
    """
    height = TOP + ROW_HEIGHT * len(candidates) + AXIS_HEIGHT
    scale = _Scale(scale_min, scale_max)
    if juror_names is None:
        description = _(
            "For each nominee, a bar from the lowest to the highest juror mean and a mark at "
            "the mean score. The results table holds the same figures."
        )
    else:
        description = _(
            "For each nominee, one dot per juror at the juror's weighted mean, a bar from the "
            "lowest to the highest of them and a mark at the mean score. The results table "
            "holds the same figures."
        )
    rows = [
        _strip(candidate, TOP + ROW_HEIGHT * index, scale, juror_names)
        for index, candidate in enumerate(candidates)
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="score-chart" role="img" '
        'aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {width} {height}" width="100%" '
        'font-family="system-ui, sans-serif">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        "{rows}{axis}</svg>",
        id=chart_id,
        width=WIDTH,
        height=height,
        title=_("The jurors' scores per nominee"),
        description=description,
        rows=_join(rows),
        axis=_axis(scale, TOP + ROW_HEIGHT * len(candidates)),
    )


class _Scale:
    def __init__(self, low: float, high: float):
        self.low, self.high = float(low), float(high)

    def x(self, value: float) -> str:
        share = (value - self.low) / (self.high - self.low)
        return _coordinate(MARGIN + share * (WIDTH - 2 * MARGIN))

    def ticks(self) -> list[int]:
        return list(range(int(self.low), int(self.high) + 1))


def _strip(
    candidate: CandidateResult, top: int, scale: _Scale, juror_names: Mapping[int, str] | None
) -> SafeString:
    result = candidate.result
    axis_y = top + 34
    name = candidate.nominee.name
    shown = name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1] + "…"
    parts = [
        format_html(
            '<text x="{x}" y="{y}" font-size="13" fill="{fill}">{name}<title>{full}</title></text>',
            x=MARGIN,
            y=top + 14,
            fill=TEXT,
            name=shown,
            full=name,
        ),
        format_html(
            '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{stroke}" stroke-width="2"/>',
            x1=scale.x(scale.low),
            x2=scale.x(scale.high),
            y=axis_y,
            stroke=TRACK,
        ),
        format_html(
            '<line class="score-range" x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{stroke}" '
            'stroke-width="8" stroke-linecap="round" stroke-opacity="0.6">'
            "<title>{title}</title></line>",
            x1=scale.x(result.minimum),
            x2=scale.x(result.maximum),
            y=axis_y,
            stroke=RANGE,
            title=_("Lowest %(lowest)s, highest %(highest)s")
            % {"lowest": _number(result.minimum), "highest": _number(result.maximum)},
        ),
    ]
    parts.append(
        format_html(
            '<line class="raw-mean" x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" stroke="{stroke}" '
            'stroke-width="3"><title>{title}</title></line>',
            x=scale.x(result.raw_mean),
            y1=axis_y - 12,
            y2=axis_y + 12,
            stroke=MEAN,
            title=_("Mean score %(mean)s") % {"mean": _number(result.raw_mean)},
        )
    )
    # The dots last: one that sits on the mean stays visible over the mean's line.
    if juror_names is not None:
        parts.extend(_dots(result.jurors, axis_y, scale, juror_names))
    return format_html(
        '<g class="candidate" data-nominee="{pk}">{parts}</g>',
        pk=candidate.nominee.pk,
        parts=_join(parts),
    )


def _dots(jurors, axis_y: int, scale: _Scale, juror_names: Mapping[int, str]):
    # Equal means would draw one dot over another: stack them around the axis instead.
    positions = [scale.x(juror.weighted_mean) for juror in jurors]
    totals = Counter(positions)
    seen: Counter[str] = Counter()
    for juror, x in zip(jurors, positions, strict=True):
        offset = (seen[x] - (totals[x] - 1) / 2) * DOT_STACK
        seen[x] += 1
        yield format_html(
            '<circle class="juror-mean" cx="{cx}" cy="{cy}" r="{r}" fill="{fill}" '
            'fill-opacity="0.75" stroke="#ffffff" stroke-width="1"><title>{title}</title></circle>',
            cx=x,
            cy=_coordinate(axis_y + offset),
            r=DOT_RADIUS,
            fill=DOT,
            title=_("%(juror)s: %(mean)s")
            % {"juror": juror_names.get(juror.juror_id, "?"), "mean": _number(juror.weighted_mean)},
        )


def _axis(scale: _Scale, top: int) -> SafeString:
    y = top + 8
    ticks = [
        format_html(
            '<line x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" stroke="{stroke}" stroke-width="1"/>'
            '<text x="{x}" y="{label_y}" font-size="12" text-anchor="middle" fill="{fill}">'
            "{value}</text>",
            x=scale.x(value),
            y1=y,
            y2=y + 5,
            stroke=MUTED,
            label_y=y + 18,
            fill=TEXT,
            value=value,
        )
        for value in scale.ticks()
    ]
    return format_html(
        '<g class="axis"><line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{stroke}" '
        'stroke-width="1"/>{ticks}<text x="{middle}" y="{label_y}" font-size="12" '
        'text-anchor="middle" fill="{muted}">{label}</text></g>',
        x1=scale.x(scale.low),
        x2=scale.x(scale.high),
        y=y,
        stroke=MUTED,
        ticks=_join(ticks),
        middle=WIDTH // 2,
        label_y=y + 34,
        muted=MUTED,
        label=_("Weighted mean score"),
    )


def _coordinate(value: float) -> str:
    return f"{value:.1f}"


def _number(value: float) -> str:
    # Round first: number_format cuts a float's decimals off (8/3 would read 2.66).
    return number_format(round(value, 2), decimal_pos=2)


def _join(parts: Iterable) -> SafeString:
    # Each part is already escaped markup; conditional_escape keeps it so and escapes
    # anything that is not.
    return mark_safe("".join(conditional_escape(part) for part in parts))  # noqa: S308


def juror_means(
    candidates: Sequence[CandidateResult], juror_names: Mapping[int, str]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The chart's dots as text, for the table beside it: per nominee, in the chart's order,
    each juror's name and weighted mean (what the dots' tooltips say, WCAG 1.1.1)."""
    return [
        (
            candidate.nominee.name,
            [
                (juror_names.get(juror.juror_id, "?"), _number(juror.weighted_mean))
                for juror in candidate.result.jurors
            ],
        )
        for candidate in candidates
    ]
