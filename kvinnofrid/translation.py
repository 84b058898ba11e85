"""Reference data carries its own Swedish and English names; pick the one to show."""

from django.utils.translation import get_language, gettext_noop


def in_active_language[T](swedish: T, english: T) -> T:
    """Return the English text (or labels) when English is active and one exists, else the
    Swedish."""
    if english and (get_language() or "").startswith("en"):
        return english
    return swedish


def shown_in_active_language(field: str) -> property:
    """A model's text `field` or its English twin `<field>_en`, as `in_active_language` picks:
    what the pages show of a text written in both languages."""
    return property(
        lambda row: in_active_language(getattr(row, field), getattr(row, f"{field}_en"))
    )


# Strings of Django's own that its Swedish catalogue does not translate yet (new in 6.x); they
# are named here so that makemessages keeps them in ours, which takes precedence.
DJANGO_STRINGS = (gettext_noop("- Select an option -"),)
