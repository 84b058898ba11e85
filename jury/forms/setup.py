"""The secretariat's forms for setting up a jury: inviting a juror and opening the scoring."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jury.models import Juror, Partner
from nominations.models import Edition, Organisation
from nominations.validators import normalise_organisation_number


class WarningSubmit(Submit):
    """A submit button for a step that cannot be undone."""

    field_classes = "btn btn-warning"


class InviteForm(forms.Form):
    """Who to invite, as what. The organisation is found by its number; a new number needs
    a name too."""

    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        widget=forms.RadioSelect,
        help_text=_("A person who already has an account keeps the language they chose."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Juror.Role.choices,
        initial=Juror.Role.MEMBER,
        widget=forms.RadioSelect,
    )
    partner = forms.ModelChoiceField(
        label=_("Represents"),
        queryset=Partner.objects.all(),
        required=False,
        empty_label=_("No partner"),
    )
    organisation_number = forms.CharField(
        label=_("Organisation number of the juror's organisation"),
        max_length=11,
        required=False,
        help_text=_(
            "Optional, NNNNNN-NNNN. It lets the platform propose conflicts of interest: the "
            "juror is asked about the nominees their organisation is or has nominated."
        ),
    )
    organisation_name = forms.CharField(
        label=_("Name of the juror's organisation"),
        max_length=200,
        required=False,
        help_text=_("Needed only when the organisation is new to the platform."),
    )

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation: Organisation | None = None
        self.helper = FormHelper()
        self.helper.form_action = reverse("jury:invite", args=[edition.year])
        self.helper.form_id = "invite-form"
        self.helper.layout = Layout(
            "email",
            Row(
                Column("first_name", css_class="col-md-6"),
                Column("last_name", css_class="col-md-6"),
            ),
            Row(Column("language", css_class="col-md-6"), Column("role", css_class="col-md-6")),
            "partner",
            Row(
                Column("organisation_number", css_class="col-md-5"),
                Column("organisation_name", css_class="col-md-7"),
            ),
            Submit("invite", _("Invite")),
        )

    # A second chair and someone already on the jury are refused by `invite_juror`, under
    # the edition's lock; the view shows its ValidationError next to the field.

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_organisation_number(self):
        number = self.cleaned_data["organisation_number"].strip()
        return normalise_organisation_number(number) if number else ""

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("organisation_number")
        if number:
            self.organisation = Organisation.objects.filter(organisation_number=number).first()
            if self.organisation is None and not cleaned.get("organisation_name", "").strip():
                self.add_error(
                    "organisation_name",
                    ValidationError(
                        _("The platform does not know this organisation yet: give its name."),
                        code="name_needed",
                    ),
                )
        elif cleaned.get("organisation_name", "").strip() and not self.has_error(
            "organisation_number"
        ):
            self.add_error(
                "organisation_number",
                ValidationError(
                    _("Give the organisation's number: organisations are known by it."),
                    code="number_needed",
                ),
            )
        return cleaned


class OpenScoringForm(forms.Form):
    """Every juror scores every nominee, or each nominee gets at least k jurors."""

    ALL = "all"
    BALANCED = "balanced"

    mode = forms.ChoiceField(
        label=_("Who scores which nominee"),
        choices=[
            (ALL, _("Every juror scores every eligible nominee")),
            (BALANCED, _("Each nominee gets at least this many jurors, the work spread evenly")),
        ],
        initial=ALL,
        widget=forms.RadioSelect,
    )
    min_jurors = forms.IntegerField(
        label=_("Jurors per nominee"),
        min_value=1,
        required=False,
        help_text=_("Only when each nominee gets a number of jurors. Conflicts are respected."),
    )

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("jury:open_scoring", args=[edition.year])
        self.helper.form_id = "open-scoring-form"
        self.helper.layout = Layout(
            "mode", "min_jurors", WarningSubmit("open", _("Open the scoring"))
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == self.BALANCED and not cleaned.get("min_jurors"):
            self.add_error(
                "min_jurors",
                ValidationError(_("How many jurors should each nominee get?"), code="required"),
            )
        return cleaned

    def min_jurors_per_nominee(self) -> int | None:
        if self.cleaned_data["mode"] == self.BALANCED:
            return self.cleaned_data["min_jurors"]
        return None
