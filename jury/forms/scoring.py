from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jury.models import Criterion
from kvinnofrid.autosave import autosave_attrs

COMMENT_MAX_LENGTH = 2000
NOTES_MAX_LENGTH = 10000


def score_field(criterion: Criterion) -> str:
    return f"score_{criterion.pk}"


def comment_field(criterion: Criterion) -> str:
    return f"comment_{criterion.pk}"


class ScoringForm(forms.Form):
    """A juror's scores for one nominee: a choice on each criterion's scale, an optional
    comment each, and private notes. Every field may be left empty: a draft is saved as it is.

    Criteria come from the secretariat; their names and descriptions reach the page only
    through labels and escaped help texts.

    Drawn by hand in templates/jury/scoring_form.html, not by crispy-forms: the same Bootstrap
    markup in a fraction of the time, on the page a juror opens for every nominee.
    """

    notes = forms.CharField(
        label=_("Private notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only you can see these notes; they are not part of your scores."),
    )

    # The version of the saved scores the page was drawn from: a save from an older page (a
    # stale tab) is refused rather than overwriting what another tab saved since.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, criteria, autosave_url: str = "", read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.read_only = read_only
        version = self.fields.pop("version")
        notes = self.fields.pop("notes")
        for criterion in self.criteria:
            self.fields[score_field(criterion)] = forms.TypedChoiceField(
                label=gettext("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.display_name, "weight": criterion.weight},
                help_text=escape(criterion.display_description),
                choices=[
                    ("", _("Not scored yet")),
                    *(
                        (value, f"{value} – {label}" if label else str(value))
                        for value, label in criterion.steps()
                    ),
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[comment_field(criterion)] = forms.CharField(
                label=gettext("Comment on %(criterion)s (optional)")
                % {"criterion": criterion.display_name},
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["notes"] = notes
        self.fields["version"] = version
        if read_only:
            for field in self.fields.values():
                field.disabled = True
        # A choice is saved at once, typed text two seconds after the last keystroke (a radio
        # button's `input` comes just before its `change`, which takes over the one timer).
        self.attrs = autosave_attrs(
            "" if read_only else autosave_url,
            trigger="input delay:2s, change delay:300ms",
            leave_out="save,save_and_list",
        )

    def criterion_fields(self) -> list[tuple[Criterion, BoundField, BoundField]]:
        """Each criterion with its score and its comment field, in the page's order."""
        return [(c, self[score_field(c)], self[comment_field(c)]) for c in self.criteria]

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            comment = (cleaned.get(comment_field(criterion)) or "").strip()
            missing = cleaned.get(score_field(criterion)) is None
            # A score refused on its own already says what is wrong.
            if comment and missing and score_field(criterion) not in self.errors:
                self.add_error(
                    comment_field(criterion),
                    ValidationError(
                        _("A comment is kept with its score: choose a score too."),
                        code="comment_without_score",
                    ),
                )
        return cleaned

    # A post changes only what it carries: a field missing from the data (a partial post,
    # a script) leaves the saved value as it is.

    def values(self) -> dict[int, int | None]:
        return {
            c.pk: self.cleaned_data.get(score_field(c))
            for c in self.criteria
            if score_field(c) in self.data
        }

    def comments(self) -> dict[int, str]:
        return {
            c.pk: self.cleaned_data.get(comment_field(c)) or ""
            for c in self.criteria
            if comment_field(c) in self.data
        }

    def posted_notes(self) -> str | None:
        return (self.cleaned_data.get("notes") or "") if "notes" in self.data else None

    def posted_version(self) -> int | None:
        return self.cleaned_data.get("version")
