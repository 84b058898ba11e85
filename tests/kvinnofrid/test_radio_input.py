"""`radio_input` draws a radio button and its label as the template's tags did before it: the
same markup for a chosen, a disabled and an invalid button, with every text escaped."""

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe

# The markup the scoring form's radio buttons had when the template drew them tag by tag.
DRAWN_BY_TAGS = Template(
    "{% load l10n %}{% for option in field %}"
    '<input type="{{ option.data.type }}" class="form-check-input{% if errors %} is-invalid'
    '{% endif %}" name="{{ field.html_name }}" value="{{ option.data.value|unlocalize }}"'
    "{% for attr, value in option.data.attrs.items %}{% if value is not False %} {{ attr }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
    "{% endfor %}>\n        "
    '<label for="{{ option.id_for_label }}" class="form-check-label">'
    "{{ option.choice_label|unlocalize }}</label>|{% endfor %}"
)
DRAWN_BY_FILTER = Template(
    "{% load fields %}{% for option in field %}{{ option|radio_input:errors }}|{% endfor %}"
)


class Scale(forms.Form):
    score = forms.TypedChoiceField(
        choices=[
            ("", "Inte bedömd"),
            (1, '1 – "svag" <b>'),
            (5, mark_safe("5 – <em>stark</em>")),  # already HTML: kept as it is
            (1000, "1000 & mer"),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"data-note": 'a "quoted" <note>'}),
    )


@pytest.mark.parametrize(
    "form",
    [
        Scale(),
        Scale(initial={"score": 1000}),
        Scale({"score": "7"}),  # not a choice: the group is invalid
        Scale(initial={"score": 1}, prefix="x"),
    ],
)
@pytest.mark.parametrize("disabled", [False, True])
def test_the_filter_draws_what_the_tags_drew(form, disabled):
    form.fields["score"].disabled = disabled
    field = form["score"]
    context = {"field": field, "errors": field.errors}

    drawn = DRAWN_BY_FILTER.render(Context(context))

    assert drawn == DRAWN_BY_TAGS.render(Context(context))
    assert drawn.count("<input") == 4
    assert "&lt;b&gt;" in drawn
    assert "<em>stark</em>" in drawn
    assert "&quot;quoted&quot; &lt;note&gt;" in drawn
    assert ("is-invalid" in drawn) is bool(field.errors)
