"""The results page's filters and order, sent by GET so that a view of the ranking can be
bookmarked and shared: the query string is the state."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jury.reports.listing import Order
from kvinnofrid.forms import filter_helper
from nominations.models import Area


class ResultsFilterForm(forms.Form):
    q = forms.CharField(label=_("Nominee's name"), required=False, max_length=200)
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.all(), required=False, empty_label=_("All areas")
    )
    order = forms.ChoiceField(
        label=_("Order by"), required=False, choices=Order.choices, initial=Order.RAW
    )
    shortlisted = forms.BooleanField(label=_("Shortlisted only"), required=False)
    discuss = forms.BooleanField(label=_("To discuss only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = filter_helper(
            "results-filters", ("q", "area", "order"), ("shortlisted", "discuss")
        )

    def filters(self) -> dict:
        """The valid filters (an invalid field is as if it were left empty)."""
        # After validation `cleaned_data` holds the fields that passed, and only those.
        self.is_valid()
        data = self.cleaned_data
        return {
            "text": data.get("q", ""),
            "area": data.get("area"),
            "order": data.get("order") or Order.RAW,
            "shortlisted_only": data.get("shortlisted", False),
            "discuss_only": data.get("discuss", False),
        }
