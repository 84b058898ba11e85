"""The shared page layouts (templates/layouts/) and table heads (kvinnofrid.templatetags.tables)."""

import re

import pytest
from django.template import Context, Template

pytestmark = pytest.mark.django_db


def _title_and_heading(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?) – Operation Kvinnofrid</title>", html, re.S)
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert title, html
    assert heading, html
    return title.group(1), heading.group(1)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/privacy/", "Integritetsmeddelande"),
        ("/en/privacy/", "Privacy notice"),
        ("/en/no-such-page/", "Page not found"),
        ("/en/signin/", "Sign in"),
    ],
)
def test_a_page_names_itself_once_for_its_title_and_its_heading(client, path, name):
    response = client.get(path)

    assert response.status_code in (200, 404)
    assert _title_and_heading(response.content.decode()) == (name, name)


def test_a_page_whose_heading_says_more_keeps_its_own_title():
    html = Template(
        '{% extends "layouts/page.html" %}'
        "{% block title %}Your recovery codes{% endblock %}"
        "{% block heading %}Two-factor sign-in is on{% endblock %}"
        "{% block page %}<p>The codes.</p>{% endblock %}"
    ).render(Context({}))

    assert _title_and_heading(html) == ("Your recovery codes", "Two-factor sign-in is on")
    assert "<p>The codes.</p>" in html


def test_a_page_in_a_column_puts_its_heading_inside_the_column():
    html = Template(
        '{% extends "layouts/text.html" %}'
        "{% block title %}A statement{% endblock %}"
        "{% block page %}<p>Its text.</p>{% endblock %}"
    ).render(Context({}))

    body = re.sub(r"\s+", " ", html[html.index('<main id="main"') :])
    assert '<article class="col-lg-8"> <h1>A statement</h1> <p>Its text.</p> </article>' in body


def test_column_heads_name_each_column_and_a_hidden_last_one():
    html = Template(
        '{% load tables %}{% column_heads "Juror" _("Scores") hidden="Action" %}'
    ).render(Context({}))

    assert re.sub(r">\s+<", "><", html.strip()) == (
        '<thead><tr><th scope="col">Juror</th><th scope="col">Scores</th>'
        '<th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>'
    )


def test_column_heads_without_a_hidden_column_have_none():
    html = Template('{% load tables %}{% column_heads "Nominee" %}').render(Context({}))

    assert "visually-hidden" not in html
    assert html.count("<th ") == 1
