"""Forms for conflicts of interest: a juror's declarations and a ruling on one of them."""

from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from jury.models import ConflictDeclaration
from jury.selectors.conflicts import CandidateRow
from jury.services.conflicts import Answer

REASON_MAX_LENGTH = 2000


def conflicted_field(row: CandidateRow) -> str:
    return f"conflicted_{row.nominee.pk}"


def reason_field(row: CandidateRow) -> str:
    return f"reason_{row.nominee.pk}"


@dataclass(frozen=True)
class DeclarationRow:
    """One candidate on the declaration page: its names, the tick box and the reason."""

    candidate: CandidateRow
    conflicted: BoundField
    reason: BoundField


class ConflictsForm(forms.Form):
    """A tick box and a reason for every candidate. An unticked box declares no conflict;
    the platform's proposals come ticked, with their reason, for the juror to confirm or
    untick. The template lays the rows out with each nominee's names, so it renders the
    fields itself rather than through crispy."""

    def __init__(self, *args, rows: list[CandidateRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate_rows = rows
        for row in rows:
            declaration = row.declaration
            if declaration is not None:
                conflicted, reason = declaration.conflicted, declaration.reason
            else:
                conflicted, reason = bool(row.proposal), row.proposal
            self.fields[conflicted_field(row)] = forms.BooleanField(
                label=_("I have a conflict of interest"),
                required=False,
                initial=conflicted,
                # A declared conflict cannot be unticked: its withdrawal is asked for, and
                # ruled on, separately. A disabled field keeps its initial value, whatever
                # is posted.
                disabled=declaration is not None and declaration.conflicted,
            )
            self.fields[reason_field(row)] = forms.CharField(
                label=_("Why (needed when you tick the box)"),
                required=False,
                initial=reason,
                max_length=REASON_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        cleaned = super().clean()
        for row in self.candidate_rows:
            if self.fields[conflicted_field(row)].disabled:
                continue  # A declared conflict: an empty reason leaves its reason as it is.
            if (
                cleaned.get(conflicted_field(row))
                and not cleaned.get(reason_field(row), "").strip()
            ):
                self.add_error(
                    reason_field(row),
                    ValidationError(
                        _("Say briefly why you have a conflict of interest."),
                        code="reason_needed",
                    ),
                )
        return cleaned

    def rows(self) -> list[DeclarationRow]:
        return [
            DeclarationRow(
                candidate=row,
                conflicted=self[conflicted_field(row)],
                reason=self[reason_field(row)],
            )
            for row in self.candidate_rows
        ]

    def answers(self) -> dict[int, Answer]:
        """The answers for the candidates the juror had on their page. A candidate that became
        eligible while the page was open has no reason field in the data: an unticked box
        must not count as "no conflict" for a nominee the juror never saw."""
        return {
            row.nominee.pk: Answer(
                conflicted=self.cleaned_data[conflicted_field(row)],
                reason=self.cleaned_data[reason_field(row)].strip()
                or (row.declaration.reason if row.declaration else ""),
            )
            if self.fields[conflicted_field(row)].disabled
            else Answer(
                conflicted=self.cleaned_data[conflicted_field(row)],
                reason=self.cleaned_data[reason_field(row)],
            )
            for row in self.candidate_rows
            if reason_field(row) in self.data
        }


class RulingForm(forms.Form):
    """The ruling on one declared conflict: upheld or dismissed, and why."""

    # The declaration's own values; the labels here say what each means for the juror.
    UPHELD = ConflictDeclaration.Ruling.UPHELD
    DISMISSED = ConflictDeclaration.Ruling.DISMISSED

    ruling = forms.ChoiceField(
        label=_("Ruling"),
        choices=[
            (UPHELD, _("Conflict of interest: the juror does not judge this nominee")),
            (DISMISSED, _("No conflict of interest: the juror judges this nominee")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the ruling"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for the ruling.")},
    )

    def __init__(self, *args, declaration_id: int, **kwargs):
        # Several of these forms share a page: ids must stay unique.
        kwargs.setdefault("auto_id", f"id_ruling_{declaration_id}_%s")
        super().__init__(*args, **kwargs)
        self.declaration_id = declaration_id

    def upheld(self) -> bool:
        return self.cleaned_data["ruling"] == self.UPHELD


class WithdrawalForm(forms.Form):
    """A juror's request to withdraw a conflict they declared: why."""

    reason = forms.CharField(
        label=_("Why do you want to withdraw the declaration?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why you want to withdraw the declaration.")},
        help_text=_(
            "The chair (or, for the chair's own, the secretariat) rules on your request. Until "
            "then the conflict of interest stands."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("withdraw", _("Ask to withdraw the declaration")))
