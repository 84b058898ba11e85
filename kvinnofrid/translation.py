"""Reference data carries its own Swedish and English names; pick the one to show."""

from django.utils.translation import get_language


def in_active_language[T](swedish: T, english: T) -> T:
    """Return the English text (or labels) when English is active and one exists, else the
    Swedish."""
    if english and (get_language() or "").startswith("en"):
        return english
    return swedish
