"""Template helpers for the forms drawn by hand (see includes/_radio_field.html)."""

import html

from django import template
from django.forms.boundfield import BoundWidget
from django.templatetags.l10n import unlocalize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def radio_input(option: BoundWidget, invalid) -> SafeString:
    """One radio button of a group and its label, as Django's widget template draws them with
    Bootstrap's classes; `invalid` when the group has errors. A filter, not a dozen tags a
    button: the scoring form draws several dozen on the page a juror opens for every
    nominee."""
    data = option.data
    value = data["value"]
    # What `unlocalize` gives a number or a text, without its detour through number formats.
    shown = value if isinstance(value, str) else unlocalize(value)
    return mark_safe(  # noqa: S308 - every part is escaped here
        f'<input type="{_escaped(data["type"])}" class="form-check-input'
        f'{" is-invalid" if invalid else ""}" name="{_escaped(data["name"])}"'
        f' value="{_escaped(shown)}"{_attributes(data["attrs"])}>\n        '
        f'<label for="{_escaped(option.id_for_label)}" class="form-check-label">'
        f"{_escaped(option.choice_label)}</label>"
    )


def _attributes(attrs: dict) -> str:
    """Each ` name="value"` escaped, in order; a True one bare, a False one left out."""
    return "".join(
        f" {_escaped(name)}" if value is True else f' {_escaped(name)}="{_escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _escaped(text) -> str:
    """`conditional_escape` without its check for lazy arguments, many times a page."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))
