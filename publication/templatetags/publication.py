from django import template
from django.utils.translation import get_language

from publication.markup import plain_text, render_markdown

register = template.Library()

# Swedish writes the ordinal as a word ("för åttonde gången"), as the prize's own texts do.
_SWEDISH = [
    "första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde",
    "tionde", "elfte", "tolfte", "trettonde", "fjortonde", "femtonde", "sextonde",
    "sjuttonde", "artonde", "nittonde", "tjugonde",
]  # fmt: skip
_ENGLISH = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
]  # fmt: skip


@register.filter
def ordinal_word(number: int) -> str:
    """8 → "åttonde" / "eighth"; past the twentieth, "21:a" / "21st" style figures."""
    english = (get_language() or "sv").startswith("en")
    words = _ENGLISH if english else _SWEDISH
    if 1 <= number <= len(words):
        return words[number - 1]
    if english:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return f"{number}{'th' if 11 <= number % 100 <= 13 else suffix}"
    return f"{number}:{'a' if number % 10 in (1, 2) and number % 100 not in (11, 12) else 'e'}"


@register.filter
def markdown(text: str):
    return render_markdown(text)


@register.filter
def as_plain_text(text: str) -> str:
    return plain_text(text)
