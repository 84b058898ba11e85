from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nominations.files import JPEG, PNG, sniff_content_type
from publication.models import Announcement

PHOTO_MAX_SIZE = 5 * 1024 * 1024
PHOTO_TYPES = (JPEG, PNG)


class AnnouncementForm(forms.ModelForm):
    """What the chair and the secretariat write. The winner is the decision's, not a field."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Announcement
        fields = [
            "lead",
            "citation",
            "press_release",
            "photo",
            "photo_alt",
            "lead_en",
            "citation_en",
            "press_release_en",
            "photo_alt_en",
        ]
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 2, "maxlength": 400}),
            "lead_en": forms.Textarea(attrs={"rows": 2, "maxlength": 400}),
            "citation": forms.Textarea(attrs={"rows": 8, "data-preview": "citation-preview"}),
            "citation_en": forms.Textarea(attrs={"rows": 6, "data-preview": "citation-en-preview"}),
            "press_release": forms.Textarea(
                attrs={"rows": 10, "data-preview": "press-release-preview"}
            ),
            "press_release_en": forms.Textarea(attrs={"rows": 8}),
            "photo": forms.ClearableFileInput(attrs={"accept": ",".join(PHOTO_TYPES)}),
        }
        help_texts = {
            "citation": _(
                "The jury's citation in Swedish, as it will be published. Markdown: "
                "**bold**, *italics*, [a link](https://…), an empty line between paragraphs."
            ),
            "citation_en": _("Optional. Published as an unofficial translation."),
            "photo_alt": _("What the photo shows, for those who cannot see it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["citation"].required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version",
            Fieldset(_("In Swedish"), "lead", "citation", "press_release", "photo", "photo_alt"),
            Fieldset(
                _("English translation (optional)"),
                "lead_en",
                "citation_en",
                "press_release_en",
                "photo_alt_en",
            ),
        )
        self.helper.add_input(Submit("save", _("Save")))

    def clean_lead(self):
        lead = self.cleaned_data["lead"].strip()
        if len(lead) > 400:
            raise ValidationError(
                _("Keep the lead to one or two sentences (at most 400 characters).")
            )
        return lead

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo or photo == self.initial.get("photo"):
            return photo
        if photo.size > PHOTO_MAX_SIZE:
            raise ValidationError(_("The photo is too large: at most 5 MB."))
        # By its bytes, not its name: Pillow has read it as an image, this says which.
        if sniff_content_type(photo) not in PHOTO_TYPES:
            raise ValidationError(_("The photo must be a JPEG or PNG image."))
        return photo

    def clean(self):
        cleaned = super().clean()
        photo = cleaned.get("photo")
        if photo and not (cleaned.get("photo_alt") or "").strip():
            self.add_error("photo_alt", _("Describe the photo for those who cannot see it."))
        return cleaned

    def changes(self) -> dict:
        """The cleaned values of the model's fields, for the service."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publication time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Swedish time. Usually when the prize is presented at the conference."),
    )

    def clean_publish_at(self):
        moment = self.cleaned_data["publish_at"]
        if moment <= timezone.now():
            raise ValidationError(_("Choose a time in the future, or publish now."))
        return moment
