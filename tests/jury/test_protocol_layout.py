"""The protocol PDF as a reader sees it: whole words in the headers, numbered pages, and
lines for the jury to sign on. Read back with pypdf, in both languages."""

import io
import re

import pypdf
import pytest
from django.utils import translation
from reportlab.platypus import KeepTogether, Table

from jury import reports
from jury.models import ConflictDeclaration, ConflictEvent
from tests.jury.test_results_views import Jury

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury():
    jury = Jury()
    # A declaration, so that the conflicts and their history print their tables too.
    declaration = ConflictDeclaration.objects.create(
        juror=jury.jurors["nils"],
        nominee=jury.nominees["Beta"],
        conflicted=True,
        reason="Tidigare anställd.",
        ruling=ConflictDeclaration.Ruling.UPHELD,
        ruled_by=jury.jurors["chair"].user,
    )
    ConflictEvent.objects.create(
        declaration=declaration,
        kind=ConflictEvent.Kind.DECLARED,
        reason="Tidigare anställd.",
        by=jury.jurors["nils"].user,
    )
    return jury


def protocol(jury, language: str):
    """The story's flowables and the PDF's pages as text, drawn in `language`."""
    with translation.override(language):
        loaded = reports.load_protocol(jury.edition)
        story = reports.protocol_story(loaded)
        content = reports.protocol_pdf(loaded)
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]
    return story, pages


def header_words(story) -> list[str]:
    words = []
    for flowable in story:
        if isinstance(flowable, Table) and flowable.repeatRows:
            for cell in flowable._cellvalues[0]:
                words += cell.text.split()
    return words


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_header_word_breaks(jury, language):
    story, pages = protocol(jury, language)
    tokens = set(re.split(r"\s+", "\n".join(pages)))

    words = header_words(story)

    # The four tables with their headers: the jury, the conflicts, their history, the scores.
    assert len([f for f in story if isinstance(f, Table) and f.repeatRows]) == 4
    assert [word for word in words if word not in tokens] == []
    if language == "sv":
        assert {"Placering", "Medelpoäng", "Normaliserad", "Lägst–högst"} <= set(words)


@pytest.mark.parametrize(("language", "label"), [("sv", "Sida {} av {}"), ("en", "Page {} of {}")])
def test_every_page_is_numbered(jury, language, label):
    _story, pages = protocol(jury, language)

    assert len(pages) >= 2
    assert [page.rstrip().rsplit("\n", 1)[-1] for page in pages] == [
        label.format(number, len(pages)) for number in range(1, len(pages) + 1)
    ]


def test_the_protocol_ends_with_lines_to_sign_for_the_chair_and_each_member(jury):
    story, pages = protocol(jury, "sv")

    block = story[-1]
    assert isinstance(block, KeepTogether)
    heading, table = block._content
    assert heading.text == "Underskrifter"
    captions = [cell.text for row in table._cellvalues for cell in row if hasattr(cell, "text")]
    assert captions == [
        "Ort och datum",
        "Cecilia Ordförande<br/>Ordförande",
        "Maja Medlem<br/>Jurymedlem",
        "Nils Nilsson<br/>Jurymedlem",
    ]
    signatures = pages[-1][pages[-1].index("Underskrifter") :]
    for text in ["Ort och datum", "Cecilia Ordförande", "Maja Medlem", "Nils Nilsson"]:
        assert text in signatures
