from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django.utils.translation import gettext_lazy as _


class SecondarySubmit(Submit):
    """A submit button for a form's second action: outlined, beside the filled main one.

    `tone` is the Bootstrap colour of the outline ("primary", "secondary")."""

    def __init__(self, name: str, value: str, *, tone: str = "secondary", **kwargs) -> None:
        self.field_classes = f"btn btn-outline-{tone}"
        super().__init__(name, value, **kwargs)


def filter_helper(form_id: str, *rows: tuple[str, ...]) -> FormHelper:
    """The layout of a list's filters: a GET form (the filters stay in the URL, no CSRF
    token), rows of up to three fields, and a "Show" button."""
    helper = FormHelper()
    helper.form_method = "get"
    helper.form_id = form_id
    helper.disable_csrf = True
    helper.layout = Layout(
        *(Row(*(Column(name, css_class="col-md-4") for name in row)) for row in rows),
        # A button without a name, so that it does not end up in the query string.
        StrictButton(_("Show"), type="submit", css_class="btn-primary"),
    )
    return helper
