from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
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


class SignInRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template owns the <form>, to carry `next`
        self.helper.add_input(Submit("send", _("Send me a sign-in link")))


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}
        ),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("verify", submit_label or _("Continue")))
