"""Template helpers for the forms drawn by hand (see includes/_radio_field.html)."""

from django import template
from django.forms.boundfield import BoundWidget
from django.templatetags.l10n import unlocalize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def radio_input(option: BoundWidget, invalid) -> SafeString:
    """One radio button of a group and its label, as Django's widget template draws them with
    Bootstrap's classes; `invalid` when the group has errors. A filter, not a dozen tags a
    button: the scoring form draws several dozen on the page a juror opens for every
    nominee."""
    data = option.data
    return format_html(
        '<input type="{}" class="form-check-input{}" name="{}" value="{}"{}>\n        '
        '<label for="{}" class="form-check-label">{}</label>',
        data["type"],
        " is-invalid" if invalid else "",
        data["name"],
        unlocalize(data["value"]),
        _attributes(data["attrs"]),
        option.id_for_label,
        unlocalize(option.choice_label),
    )


def _attributes(attrs: dict) -> SafeString:
    """Each ` name="value"` escaped, in order; a True one bare, a False one left out."""
    return mark_safe(  # noqa: S308 - every name and value is escaped here
        "".join(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )
