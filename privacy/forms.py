from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.services import ErasureReason


class PersonForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class ErasureForm(PersonForm):
    reason = forms.ChoiceField(label=_("Reason for the erasure"), choices=ErasureReason.choices)
    confirm = forms.BooleanField(
        label=_("I have checked who is asking, and the erasure cannot be undone"),
    )
