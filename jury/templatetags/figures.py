"""`figure`: a mean or a spread with two decimals in the reader's language.

What `floatformat:2` writes (the same rounding, half away from zero on the figure as Python
prints it, and no "-0"), without its general machinery: the results page writes some 4,000
figures a page, and `floatformat` took a third of the page's rendering.
"""

from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from django import template
from django.utils.formats import get_format
from django.utils.translation import get_language

register = template.Library()

_CENT = Decimal("0.01")


@cache
def _decimal_separator(language: str | None) -> str:
    return str(get_format("DECIMAL_SEPARATOR", language))


# The same figures come back: a mean per criterion over 25 jurors takes a few hundred values,
# and the chart writes the table's figures again.
@lru_cache(maxsize=8192)
def _two_places(value: float) -> str:
    rounded = Decimal(repr(value)).quantize(_CENT, rounding=ROUND_HALF_UP)
    if not rounded:
        rounded = abs(rounded)
    return f"{rounded:f}"


def figure_text(value: float) -> str:
    return _two_places(float(value)).replace(".", _decimal_separator(get_language()))


@register.filter
def figure(value) -> str:
    """`value` with two decimals, as `floatformat:2` writes it; empty for None."""
    if value is None or value == "":
        return ""
    return figure_text(value)
