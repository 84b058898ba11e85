"""Swedish identifiers: organisationsnummer (and, in free text, personnummer)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORGANISATION_NUMBER_RE = re.compile(r"^\s*(\d{6})-?(\d{4})\s*$")


def luhn_check_digit(digits: str) -> int:
    """The check digit Swedish identity and organisation numbers end with (Luhn, mod 10)."""
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def normalise_organisation_number(value: str) -> str:
    """Return the number as NNNNNN-NNNN, or raise ValidationError."""
    match = ORGANISATION_NUMBER_RE.match(value or "")
    if not match:
        raise ValidationError(
            _("Enter the organisation number as ten digits, NNNNNN-NNNN."),
            code="format",
        )
    digits = match.group(1) + match.group(2)
    if luhn_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            _("This organisation number is not valid: check the last digit."),
            code="check_digit",
        )
    return f"{match.group(1)}-{match.group(2)}"


def validate_organisation_number(value: str) -> None:
    normalise_organisation_number(value)
