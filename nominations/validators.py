"""Swedish identifiers: organisationsnummer (and, in free text, personnummer).

The checks themselves are python-stdnum's (`stdnum.se.orgnr`, `stdnum.se.personnummer`);
what is ours is the finding of candidates in free text and the samordningsnummer, which
stdnum's personnummer does not know.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as InvalidNumber
from stdnum.se import orgnr, personnummer


def normalise_organisation_number(value: str) -> str:
    """Return the number as NNNNNN-NNNN, or raise ValidationError."""
    try:
        number = orgnr.validate(value or "")
    except InvalidChecksum as wrong:
        raise ValidationError(
            _("This organisation number is not valid: check the last digit."),
            code="check_digit",
        ) from wrong
    except InvalidNumber as malformed:
        raise ValidationError(
            _("Enter the organisation number as ten digits, NNNNNN-NNNN."),
            code="format",
        ) from malformed
    return orgnr.format(number)


def validate_organisation_number(value: str) -> None:
    normalise_organisation_number(value)


# A personnummer or samordningsnummer as people write it: (CC)YYMMDD, optional - or +, NNNN.
PERSONAL_IDENTITY_NUMBER_RE = re.compile(
    r"(?<![\d-])(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<separator>[-+ ]?)(?P<serial>\d{4})(?![\d])"
)

# A samordningsnummer is a personnummer whose day of birth has 60 added.
COORDINATION_DAY_OFFSET = 60


def _is_personal_identity_number(match: re.Match) -> bool:
    century, yymmdd, serial = match.group("century") or "", match.group("yymmdd"), match["serial"]
    separator = "+" if match.group("separator") == "+" else "-"
    day = int(yymmdd[4:])
    if day <= COORDINATION_DAY_OFFSET:
        return personnummer.is_valid(f"{century}{yymmdd}{separator}{serial}")
    # stdnum checks a personnummer's date; a samordningsnummer's is its day less 60, while
    # the check digit is computed over the number as written.
    birth = f"{century}{yymmdd[:4]}{day - COORDINATION_DAY_OFFSET:02d}{separator}{serial}"
    try:
        personnummer.get_birth_date(birth)
    except InvalidNumber:
        return False
    return luhn.is_valid(yymmdd + serial)


def find_personal_identity_numbers(text: str) -> list[str]:
    """Every personnummer or samordningsnummer in `text` whose date and check digit are right."""
    return [
        match.group(0)
        for match in PERSONAL_IDENTITY_NUMBER_RE.finditer(text or "")
        if _is_personal_identity_number(match)
    ]


def mask_personal_identity_numbers(text: str) -> str:
    """The text with each personal identity number's digits replaced by X."""

    def mask(match: re.Match) -> str:
        if _is_personal_identity_number(match):
            return re.sub(r"\d", "X", match.group(0))
        return match.group(0)

    return PERSONAL_IDENTITY_NUMBER_RE.sub(mask, text or "")
