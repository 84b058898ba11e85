"""Forms of the final round: the shortlist, a juror's ballot and the jury's decision."""

from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from jury.scoring_math.results import JuryResults, NomineeResult
from jury.selectors.vote import MIN_SHORTLIST
from jury.services import vote
from nominations.models import Nominee


def _helper(submit: Submit) -> FormHelper:
    # The template writes the <form> tag: without a layout, crispy-forms copies the form
    # tag's attributes (its id too) onto every radio and checkbox group: duplicate ids.
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(submit)
    return helper


@dataclass(frozen=True)
class ShortlistRow:
    """One candidate on the shortlist page: its checkbox and its figures (None if unscored)."""

    checkbox: BoundWidget
    nominee: Nominee
    result: NomineeResult | None


class ShortlistForm(forms.Form):
    """Checkboxes for the candidates. The template lays them out as a table with the jury's
    figures next to each, so it renders the fields itself rather than through crispy."""

    nominees = forms.ModelMultipleChoiceField(
        label=_("Shortlist"),
        queryset=Nominee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the nominees for the shortlist.")},
    )
    ballot_deadline = forms.DateTimeField(
        label=_("Ballot deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Swedish time. No ballot can be cast after it; jurors are reminded before."),
    )

    def __init__(self, *args, candidates, jury: JuryResults | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominees"].queryset = candidates
        self.jury = jury

    def clean_nominees(self):
        nominees = self.cleaned_data["nominees"]
        if len(nominees) < MIN_SHORTLIST:
            raise vote.too_short_a_shortlist()
        return nominees

    def rows(self) -> list[ShortlistRow]:
        rows = []
        for checkbox in self["nominees"]:
            nominee = checkbox.data["value"].instance
            result = None
            if self.jury is not None:
                try:
                    result = self.jury.nominee(nominee.pk)
                except KeyError:
                    result = None
            rows.append(ShortlistRow(checkbox=checkbox, nominee=nominee, result=result))
        return rows


class BallotForm(forms.Form):
    """One rank select per shortlisted nominee the juror may rank: 1 is best, equal numbers
    are a tie, and a nominee left unranked comes below every ranked one."""

    def __init__(self, *args, nominees, ranks: dict[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        ranks = ranks or {}
        choices = [("", _("Not ranked")), *((n, str(n)) for n in range(1, len(nominees) + 1))]
        for nominee in nominees:
            self.fields[self.field_name(nominee)] = forms.TypedChoiceField(
                label=nominee.name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=ranks.get(nominee.pk),
                widget=forms.Select(attrs={"class": "w-auto"}),
            )
        self.nominees = list(nominees)
        self.helper = _helper(Submit("cast", _("Cast my ballot")))

    @staticmethod
    def field_name(nominee: Nominee) -> str:
        return f"rank_{nominee.pk}"

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(value is not None for value in cleaned.values()):
            raise forms.ValidationError(_("Rank at least one nominee."), code="empty")
        return cleaned

    def ranking_groups(self) -> list[list[int]]:
        """The ranks as groups of nominee ids, best first; equal ranks share a group."""
        by_rank: dict[int, list[int]] = {}
        for nominee in self.nominees:
            rank = self.cleaned_data.get(self.field_name(nominee))
            if rank is not None:
                by_rank.setdefault(rank, []).append(nominee.pk)
        return [sorted(by_rank[rank]) for rank in sorted(by_rank)]


class DecisionForm(forms.Form):
    winner = forms.ModelChoiceField(
        label=_("Winner"),
        queryset=Nominee.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("One of the shortlisted nominees."),
    )
    honourable_mentions = forms.ModelMultipleChoiceField(
        label=_("Honourable mentions"),
        queryset=Nominee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Optional: other candidates the jury wants to mention."),
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the minutes of the decision.")},
        help_text=_("How the jury reached its decision: who took part, the vote and the outcome."),
    )

    def __init__(self, *args, shortlist, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["winner"].queryset = shortlist
        self.fields["honourable_mentions"].queryset = candidates
        self.helper = _helper(Submit("decide", _("Record the decision")))

    def clean(self):
        cleaned = super().clean()
        winner = cleaned.get("winner")
        if winner is not None and winner in (cleaned.get("honourable_mentions") or []):
            self.add_error(
                "honourable_mentions", _("The winner cannot also get an honourable mention.")
            )
        return cleaned
