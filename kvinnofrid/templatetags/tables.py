"""Template helpers for the tables that many pages share."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/_column_heads.html")
def column_heads(*labels, hidden=""):
    """A table's head row: a column heading for each label, in order, and with `hidden` a last
    one only a screen reader reads (over a column of buttons that name themselves)."""
    return {"labels": labels, "hidden": hidden}
