from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def isodatetime(value: str) -> datetime | str:
    """A moment kept as ISO text in an e-mail's JSON context, back as local time."""
    try:
        return timezone.localtime(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return ""
