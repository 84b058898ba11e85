import pytest
from django.core.exceptions import ValidationError
from stdnum import luhn

from nominations.validators import (
    find_personal_identity_numbers,
    mask_personal_identity_numbers,
    normalise_organisation_number,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("202100-0076", "202100-0076"),
        ("2021000076", "202100-0076"),
        (" 202100-0076 ", "202100-0076"),
    ],
)
def test_organisation_number_is_normalised(typed, stored):
    assert normalise_organisation_number(typed) == stored


def test_organisation_number_with_wrong_check_digit_is_rejected():
    with pytest.raises(ValidationError) as error:
        normalise_organisation_number("202100-0077")

    assert error.value.code == "check_digit"


@pytest.mark.parametrize("typed", ["20210-0076", "abcdef-ghij", "202100-00766", ""])
def test_organisation_number_in_wrong_format_is_rejected(typed):
    with pytest.raises(ValidationError) as error:
        normalise_organisation_number(typed)

    assert error.value.code == "format"


def test_personnummer_in_its_usual_forms_is_found():
    # 811218-9876 is the Swedish Tax Agency's example number (check digit correct).
    text = "Kontakt: 811218-9876, även 198112189876 och 8112189876."

    assert find_personal_identity_numbers(text) == ["811218-9876", "198112189876", "8112189876"]


def test_samordningsnummer_is_found():
    # Day 18 + 60 = 78; check digit computed for 811278-987?
    number = "811278-987" + luhn.calc_check_digit("811278987")

    assert find_personal_identity_numbers(f"Hon har {number}.") == [number]


@pytest.mark.parametrize(
    "written",
    [
        # The Swedish Tax Agency's example samordningsnummer: born 1942-12-27 (27 + 60 = 87).
        "701063-2391",
        "421287-0010",
        "19421287-0010",
        "4212870010",
    ],
)
def test_samordningsnummer_in_its_usual_forms_is_found_and_masked(written):
    assert find_personal_identity_numbers(f"Nummer {written} här.") == [written]
    assert "Nummer " + "".join("X" if c.isdigit() else c for c in written) + " här." == (
        mask_personal_identity_numbers(f"Nummer {written} här.")
    )


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("421292-0013", "a samordningsnummer of day 92 - 60 = 32"),
        ("811218-9875", "wrong check digit"),
        ("810230-0004", "30 February"),
        ("19000229-0005", "1900 was no leap year"),
    ],
)
def test_numbers_that_are_not_personal_identity_numbers_are_not_flagged(written, why):
    assert find_personal_identity_numbers(written) == [], why


def test_organisation_number_is_checked_by_its_luhn_digit_only():
    # The Police Authority: group 2 (state), its check digit 6.
    assert normalise_organisation_number("2021000076") == "202100-0076"


def test_numbers_with_wrong_check_digit_or_no_date_are_not_flagged():
    text = "811218-9875, organisationsnummer 202100-0076, telefon 08-123 456 78, år 2023."

    assert find_personal_identity_numbers(text) == []


def test_masking_hides_the_digits_and_keeps_the_rest():
    assert (
        mask_personal_identity_numbers("Personen 811218-9876 och 202100-0076.")
        == "Personen XXXXXX-XXXX och 202100-0076."
    )
