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


# A personnummer or samordningsnummer as people write it: (CC)YYMMDD, optional - or +, NNNN.
PERSONAL_IDENTITY_NUMBER_RE = re.compile(
    r"(?<![\d-])(?:\d{2})?(?P<yymmdd>\d{6})(?P<separator>[-+ ]?)(?P<serial>\d{4})(?![\d])"
)


def _is_personal_identity_number(yymmdd: str, serial: str) -> bool:
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > 60:  # a samordningsnummer adds 60 to the day of birth
        day -= 60
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    digits = yymmdd + serial
    return luhn_check_digit(digits[:9]) == int(digits[9])


def find_personal_identity_numbers(text: str) -> list[str]:
    """Every personnummer or samordningsnummer in `text` whose check digit is right."""
    return [
        match.group(0)
        for match in PERSONAL_IDENTITY_NUMBER_RE.finditer(text or "")
        if _is_personal_identity_number(match.group("yymmdd"), match.group("serial"))
    ]


def mask_personal_identity_numbers(text: str) -> str:
    """The text with each personal identity number's digits replaced by X."""

    def mask(match: re.Match) -> str:
        if _is_personal_identity_number(match.group("yymmdd"), match.group("serial")):
            return re.sub(r"\d", "X", match.group(0))
        return match.group(0)

    return PERSONAL_IDENTITY_NUMBER_RE.sub(mask, text or "")
