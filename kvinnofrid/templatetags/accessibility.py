"""Template helpers for accessibility that every page shares."""

from dataclasses import dataclass

from django import template

register = template.Library()


@dataclass(frozen=True)
class SummaryError:
    message: str
    label: str = ""
    field_id: str = ""


def _forms(candidates):
    for candidate in candidates:
        if candidate is None or candidate == "":
            continue
        if hasattr(candidate, "forms"):  # a formset: its own errors, then each form's
            yield from _formset_errors(candidate)
        else:
            yield candidate


def _formset_errors(formset):
    yield formset
    yield from formset.forms


def _first_field_id(form) -> str:
    for bound in form:
        if not bound.is_hidden:
            return bound.id_for_label or bound.auto_id or ""
    return ""


def summary_errors(*forms) -> list[SummaryError]:
    """Every error of the given forms (or formsets), in page order: the form's own errors
    first, then each field's, each with the id of the control it is about."""
    errors = []
    for form in _forms(forms):
        if not getattr(form, "is_bound", False):
            continue
        if hasattr(form, "non_form_errors"):
            errors += [SummaryError(str(message)) for message in form.non_form_errors()]
            continue
        first = _first_field_id(form)
        errors += [
            SummaryError(str(message), field_id=first) for message in form.non_field_errors()
        ]
        for bound in form:
            for message in bound.errors:
                errors.append(
                    SummaryError(
                        str(message),
                        label=str(bound.label or ""),
                        field_id=bound.id_for_label or bound.auto_id or "",
                    )
                )
    return errors


@register.inclusion_tag("includes/_error_summary.html")
def error_summary(*forms, intro=""):
    """The error summary at the top of a form (WCAG 3.3.1): each error a link to its field.
    It takes the focus when the page loads (static/js/error_summary.js), so a screen reader
    reads it at once."""
    return {"errors": summary_errors(*forms), "intro": intro}
