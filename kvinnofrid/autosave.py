"""Forms that save themselves while they are filled in: the attributes that make htmx send
them, and the JSON answers static/js/autosave.js shows.

A building block of the floor (ARCHITECTURE.md): it imports no app.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _


def autosave_attrs(url: str, *, trigger: str, leave_out: str) -> dict[str, str]:
    """The attributes that make htmx (static/vendor/htmx) save a form while it is filled in:
    POST to `url` when `trigger` fires (debounced there), without the fields `leave_out`
    names (comma-separated), one request at a time and the last change always sent.
    The endpoint answers JSON, which static/js/autosave.js shows; nothing is swapped.
    No URL, no autosave (a read-only or submitted form)."""
    if not url:
        return {}
    return {
        "data-autosave": "",
        "hx-post": url,
        "hx-trigger": trigger,
        "hx-params": f"not {leave_out}",
        "hx-swap": "none",
        "hx-sync": "this:queue last",
    }


def invalid_form_answer(form) -> JsonResponse:
    """Nothing saved: the form's errors, field by field, for the page to show."""
    return JsonResponse(
        {
            "saved": False,
            "message": _("Not saved yet: some fields need attention."),
            "errors": {field: [str(e) for e in errors] for field, errors in form.errors.items()},
        },
        status=422,
    )
