"""The nominee match key: look-alike spellings of one name find the same nominee."""

import pytest

from nominations.services import nominee_match_key


@pytest.mark.parametrize(
    "typed",
    [
        "Polisen",
        "POLISEN",
        "  polisen. ",
        "Pol\u200bisen",  # a zero-width space pasted from a web page
        "\u2060Polisen\ufeff",  # a word joiner and a byte order mark
        "\u0420\u043elisen",  # Cyrillic Р and о
        "P\u03bflisen",  # Greek omicron
        "\uff30olisen",  # a full-width P (NFKC)
        "Pol\u0131sen",  # a dotless i
    ],
)
def test_look_alike_names_share_a_key(typed):
    assert nominee_match_key(typed, None) == nominee_match_key("Polisen", None) == "-:polisen"


def test_swedish_letters_stay_themselves():
    assert nominee_match_key("Stödcentrum Ärlinge Å", None) == "-:stödcentrum ärlinge å"
    assert nominee_match_key("Stodcentrum", None) != nominee_match_key("Stödcentrum", None)


def test_a_decomposed_o_with_diaeresis_is_the_same_letter():
    assert nominee_match_key("Sto\u0308dcentrum", None) == nominee_match_key("Stödcentrum", None)


def test_different_names_stay_different():
    assert nominee_match_key("Polisen Syd", None) != nominee_match_key("Polisen Nord", None)
