from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kvinnofrid.autosave import autosave_attrs
from kvinnofrid.forms import SecondarySubmit, filter_helper
from nominations import selectors
from nominations.files import validate_attachment
from nominations.models import Area, Attachment, Edition, Municipality, Nomination, Organisation
from nominations.validators import normalise_organisation_number


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class NominationForm(forms.ModelForm):
    """The nomination, in sections. A draft may be incomplete; a submission may not."""

    # Required to submit, optional in a draft.
    REQUIRED_TO_SUBMIT = (
        "nominee_name",
        "nominee_kind",
        "municipalities",
        "areas",
        "motivation",
        "nominator_organisation_name",
        "nominator_organisation_number",
        "contact_name",
        "contact_email",
        "consent",
    )

    new_attachments = MultipleFileField(
        label=_("Add attachments"),
        required=False,
        help_text=_("PDF, Word (DOCX), JPEG or PNG; at most 10 MB per file and 5 files."),
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove attachments"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Declared rather than made by ModelForm, which reads each stored choice with a query of
    # its own: the view reads them with the nomination (see `_stored_choice`).
    municipalities = Nomination._meta.get_field("municipalities").formfield(
        widget=forms.CheckboxSelectMultiple(attrs={"class": "municipalities"}),
        help_text=_("Where in Stockholms län is the work done?"),
    )
    areas = Nomination._meta.get_field("areas").formfield(widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Nomination
        fields = [
            *Nomination.NOMINEE_FIELDS,
            *Nomination.FREE_TEXT_FIELDS,
            *Nomination.NOMINATOR_DETAIL_FIELDS,
            "consent",
        ]
        widgets = {
            "nominee_kind": forms.RadioSelect,
            "motivation": forms.Textarea(
                attrs={"rows": 8, "maxlength": Nomination.MOTIVATION_MAX_LENGTH}
            ),
            "long_term_work": forms.Textarea(
                attrs={"rows": 5, "maxlength": Nomination.SECTION_MAX_LENGTH}
            ),
            "collaboration": forms.Textarea(
                attrs={"rows": 5, "maxlength": Nomination.SECTION_MAX_LENGTH}
            ),
            "results": forms.Textarea(
                attrs={"rows": 5, "maxlength": Nomination.SECTION_MAX_LENGTH}
            ),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        help_texts = {
            "motivation": _(
                "Why should they receive the prize? At most 4,000 characters. "
                "Describe the work, not the people it helps."
            ),
            "long_term_work": _("How has the work been carried on and developed over time?"),
            "collaboration": _("Collaboration inside the organisation and with other actors."),
            "results": _("What difference has the work made? Figures are welcome."),
            "nominee_organisation_number": _(
                "The organisation the nominated unit or team belongs to, if you know it "
                "(NNNNNN-NNNN). It helps us recognise a nominee from earlier years."
            ),
        }
        labels = {"consent": _("I consent to the processing of the personal data in this form.")}

    def __init__(self, *args, require_complete: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_complete = require_complete
        for name in self.REQUIRED_TO_SUBMIT:
            self.fields[name].required = require_complete
            if not require_complete:
                # A draft may leave them empty, but the nominator should see what submitting
                # will ask for: the same star a required field gets.
                self.fields[name].label = f"{self.fields[name].label} *"
        for name in ("municipalities", "areas"):
            self.initial.setdefault(name, self._stored_choice(name))
        self.fields["areas"].label_from_instance = lambda area: capfirst(area.display_name)
        self.fields["nominee_kind"].choices = self.fields["nominee_kind"].choices[1:]
        self.fields["remove_attachments"].queryset = self.instance.attachments.all()
        # Read once (or counted with the nomination): whether there are any to remove, and
        # how many there are.
        self.attachment_count = getattr(self.instance, "attachment_count", None)
        if self.attachment_count is None:
            self.attachment_count = self.instance.attachments.count() if self.instance.pk else 0
        if not self.attachment_count:
            del self.fields["remove_attachments"]

    def _stored_choice(self, name: str) -> list[int]:
        """The ids stored for a choice: read with the nomination (`stored_<name>`, as the
        nominator's views annotate it), else here."""
        stored = getattr(self.instance, f"stored_{name}", None)
        if stored is not None:
            return stored
        if self.instance.pk is None:
            return []
        return list(getattr(self.instance, name).values_list("pk", flat=True))

    @cached_property
    def helper(self) -> FormHelper:
        # Made when the form is shown: a valid submission redirects without it.
        helper = FormHelper()
        helper.form_id = "nomination-form"
        helper.attrs = {
            "novalidate": "",
            # Saved two seconds after the last keystroke, and when the page asks (kvf:save).
            **autosave_attrs(
                reverse("nominations:autosave", args=[self.instance.pk])
                if self.instance.status == Nomination.Status.DRAFT
                else "",
                trigger="input delay:2s, kvf:save",
                leave_out="new_attachments,save,submit",
            ),
        }
        helper.layout = Layout(
            Fieldset(
                _("Who do you nominate?"),
                *Nomination.NOMINEE_FIELDS,
                Div("municipalities", css_class="columns-municipalities"),
            ),
            Fieldset(
                _("The work"),
                HTML(
                    format_html(
                        '<div class="alert alert-warning" role="note"><strong>{}</strong> {}</div>',
                        _("Do not write personal data about victims."),
                        _(
                            "No names, personal identity numbers or details that could identify "
                            "anyone who has been subjected to violence."
                        ),
                    )
                ),
                "areas",
                *Nomination.FREE_TEXT_FIELDS,
            ),
            Fieldset(
                _("Attachments"),
                "new_attachments",
                *(["remove_attachments"] if "remove_attachments" in self.fields else []),
            ),
            Fieldset(
                _("Who nominates?"),
                *Nomination.NOMINATOR_DETAIL_FIELDS,
                HTML(
                    format_html(
                        '<p class="small">{} <a href="{}">{}</a></p>',
                        _("How we handle personal data:"),
                        reverse("privacy"),
                        _("privacy notice"),
                    )
                ),
                "consent",
            ),
        )
        if self.instance.awaits_submission:
            helper.add_input(SecondarySubmit("save", _("Save draft"), tone="primary"))
            helper.add_input(Submit("submit", _("Submit nomination")))
        else:
            helper.add_input(Submit("save", _("Save changes")))
        return helper

    def _clean_organisation_number(self, field: str) -> str:
        value = self.cleaned_data.get(field, "").strip()
        return normalise_organisation_number(value) if value else ""

    def clean_nominator_organisation_number(self):
        return self._clean_organisation_number("nominator_organisation_number")

    def clean_nominee_organisation_number(self):
        return self._clean_organisation_number("nominee_organisation_number")

    def clean_contact_phone(self):
        phone = self.cleaned_data.get("contact_phone", "").strip()
        if phone and not all(char.isdigit() or char in " +-()" for char in phone):
            raise ValidationError(_("Enter a phone number with digits, spaces, + or -."))
        return phone

    def clean_motivation(self):
        return self._within("motivation", Nomination.MOTIVATION_MAX_LENGTH)

    def clean_long_term_work(self):
        return self._within("long_term_work", Nomination.SECTION_MAX_LENGTH)

    def clean_collaboration(self):
        return self._within("collaboration", Nomination.SECTION_MAX_LENGTH)

    def clean_results(self):
        return self._within("results", Nomination.SECTION_MAX_LENGTH)

    def _within(self, field: str, limit: int) -> str:
        text = self.cleaned_data.get(field, "")
        if len(text) > limit:
            raise ValidationError(
                _("At most %(limit)d characters, this text has %(length)d."),
                params={"limit": limit, "length": len(text)},
            )
        return text

    def clean_new_attachments(self):
        checked = []
        errors = []
        for uploaded in self.cleaned_data.get("new_attachments", []):
            try:
                checked.append((uploaded, validate_attachment(uploaded, Attachment.MAX_SIZE)))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return checked

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "new_attachments" in cleaned:
            kept = self.attachment_count - len(cleaned.get("remove_attachments") or [])
            if kept + len(cleaned["new_attachments"]) > Attachment.MAX_COUNT:
                self.add_error(
                    "new_attachments",
                    _("At most %(count)d attachments per nomination.")
                    % {"count": Attachment.MAX_COUNT},
                )
        return cleaned


class ScreeningForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Eligible")), ("no", _("Not eligible"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when not eligible; the nominator receives it by e-mail."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("screen", _("Record the decision")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("eligible") is False and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the nomination is not eligible."))
        return cleaned


def _filter_choice(label, queryset, empty_label) -> forms.ModelChoiceField:
    """One of a list's filters: a choice of `queryset`, which left empty filters nothing."""
    return forms.ModelChoiceField(
        label=label, queryset=queryset, required=False, empty_label=empty_label
    )


class ScreeningFilterForm(forms.Form):
    """The list's filters, sent by GET so that a filtered list can be bookmarked and exported."""

    edition = forms.ModelChoiceField(
        label=_("Edition"),
        queryset=selectors.editions(),
        to_field_name="year",
        required=False,
        empty_label=None,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All but withdrawn")),
            *(
                (value, label)
                for value, label in Nomination.Status.choices
                if value != Nomination.Status.DRAFT
            ),
        ],
    )
    area = _filter_choice(_("Area"), Area.objects.all(), _("All areas"))
    municipality = _filter_choice(
        _("Municipality"), Municipality.objects.all(), _("All municipalities")
    )
    nominee_kind = forms.ChoiceField(
        label=_("Kind of operation"),
        required=False,
        choices=[("", _("All kinds")), *Organisation.Kind.choices],
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Reference number, nominee, nominating organisation or contact person."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = filter_helper(
            "screening-filters",
            ("edition", "status", "nominee_kind"),
            ("area", "municipality", "q"),
        )


class CompleteScreeningForm(forms.Form):
    edition = forms.ModelChoiceField(
        queryset=selectors.editions(),
        to_field_name="year",
        error_messages={"invalid_choice": _("There is no such edition.")},
    )

    def clean_edition(self):
        edition = self.cleaned_data["edition"]
        if edition.phase != Edition.Phase.SCREENING:
            raise ValidationError(
                _(
                    "Screening can only be completed after the call for nominations has "
                    "closed, and only once."
                ),
                code="wrong_phase",
            )
        return edition
