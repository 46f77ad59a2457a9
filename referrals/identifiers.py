"""Checks for the identifiers a practitioner types about a child: the UPN and the NHS number.

Plain Python so forms, imports and tests can share them; the only Django piece is the
`ValidationError` the two validators raise. Each `*_problem` function takes what the person
typed, tidies it the way the matching `normalise_*` does, and returns a GOV.UK-style error
message, or None when the value is good.

Unique Pupil Number (DfE; UK Government Data Standards Catalogue, "Unique Pupil Number" v2.0,
and the school census validation rule 1510): 13 characters. A check letter, then the LA number
(3 digits), the establishment number (4), the last 2 digits of the academic year and a 3-digit
serial. A temporary UPN ends in a letter instead of the last serial digit. The check letter is
the sum of each of characters 2 to 13 times its position (2 to 13), modulo 23, read through
ABCDEFGHJKLMNPQRTUVWXYZ (0 is A, 22 is Z; I, O and S are never used). A temporary UPN's final
letter counts as its place in that same alphabet (A is 0, B is 1, ...).

NHS number (NHS Data Dictionary): 10 digits, the last a modulus 11 check digit over the first
nine weighted 10 down to 2; 11 minus the remainder, where 11 means 0 and 10 means the number
can never be valid.
"""

import re

from django.core.exceptions import ValidationError

# The check-letter alphabet: I, O and S are left out so they cannot be misread as 1, 0 and 5.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

# The example is a real, valid UPN (H is its check letter), so copying it does not fail the check.
UPN_FORMAT_MESSAGE = "Enter a UPN in the correct format, like H801200001001"
UPN_CHECK_LETTER_MESSAGE = "The UPN's check letter is wrong: check you have typed it correctly"
NHS_NUMBER_FORMAT_MESSAGE = "Enter an NHS number with 10 digits, like 485 777 3456"
NHS_NUMBER_CHECK_MESSAGE = "Check the NHS number: it is not a valid NHS number"

_UPN_SHAPE = re.compile(rf"[A-Z][0-9]{{11}}[0-9{UPN_LETTERS}]")
_TEN_DIGITS = re.compile(r"[0-9]{10}")
_NINE_DIGITS = re.compile(r"[0-9]{9}")
_SPACES = re.compile(r"\s+")
_SPACES_AND_HYPHENS = re.compile(r"[\s\-]+")


def normalise_upn(value: str) -> str:
    """``value`` without any whitespace, upper-cased (" h801 2000 01001 " -> "H801200001001")."""
    return _SPACES.sub("", value).upper()


def upn_check_letter(twelve: str) -> str:
    """The check letter for the 12 characters after it (11 digits and a digit or letter).

    Raises ValueError if ``twelve`` is not of that shape.
    """
    if not _UPN_SHAPE.fullmatch("A" + twelve):
        raise ValueError(f"not the 12 characters of a UPN: {twelve!r}")
    total = 0
    for position, character in enumerate(twelve, start=2):
        # A temporary UPN's final letter stands for its place in the check alphabet.
        value = int(character) if character.isdigit() else UPN_LETTERS.index(character)
        total += value * position
    return UPN_LETTERS[total % 23]


def upn_problem(value: str) -> str | None:
    """What is wrong with ``value`` as a UPN, as a message for the person who typed it; or None.

    Checks the shape and the check letter only: whether the LA number is a real one is left
    to the school census, which keeps the list.
    """
    upn = normalise_upn(value)
    if not _UPN_SHAPE.fullmatch(upn):
        return UPN_FORMAT_MESSAGE
    if upn[0] != upn_check_letter(upn[1:]):
        return UPN_CHECK_LETTER_MESSAGE
    return None


def make_upn(la_code: int, establishment: int, year: int, serial: int) -> str:
    """A valid permanent UPN built from its parts, for test and demonstration data.

    ``year`` is the last two digits of the academic year. Raises ValueError for a part that
    does not fit its digits (LA 0-999, establishment 0-9999, year 0-99, serial 0-999).
    """
    for name, part, top in (
        ("la_code", la_code, 999),
        ("establishment", establishment, 9999),
        ("year", year, 99),
        ("serial", serial, 999),
    ):
        if not 0 <= part <= top:
            raise ValueError(f"{name} must be from 0 to {top}, not {part}")
    twelve = f"{la_code:03d}{establishment:04d}{year:02d}{serial:03d}"
    return upn_check_letter(twelve) + twelve


def normalise_nhs_number(value: str) -> str:
    """``value`` without spaces or hyphens ("485-777 3456" -> "4857773456").

    Nothing else is removed, so letters or other marks still make the number wrong.
    """
    return _SPACES_AND_HYPHENS.sub("", value)


def _nhs_check_digit(nine: str) -> int | None:
    """The check digit for nine digits, or None where it would be 10 (no valid number)."""
    total = sum(int(digit) * weight for digit, weight in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_problem(value: str) -> str | None:
    """What is wrong with ``value`` as an NHS number, as a message for the person; or None."""
    number = normalise_nhs_number(value)
    if not _TEN_DIGITS.fullmatch(number):
        return NHS_NUMBER_FORMAT_MESSAGE
    if _nhs_check_digit(number[:9]) != int(number[9]):
        return NHS_NUMBER_CHECK_MESSAGE
    return None


def format_nhs_number(value: str) -> str:
    """An NHS number as the NHS writes it, in groups of 3, 3 and 4 ("485 777 3456").

    A value that is not 10 digits once tidied comes back tidied but not grouped.
    """
    number = normalise_nhs_number(value)
    if not _TEN_DIGITS.fullmatch(number):
        return number
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def make_nhs_number(nine_digits: str) -> str | None:
    """A valid NHS number made by adding the check digit to ``nine_digits``, for test data.

    None when the check digit would be 10: no NHS number starts with those nine digits.
    Raises ValueError if ``nine_digits`` is not nine digits.
    """
    if not _NINE_DIGITS.fullmatch(nine_digits):
        raise ValueError(f"need nine digits, not {nine_digits!r}")
    check = _nhs_check_digit(nine_digits)
    return None if check is None else f"{nine_digits}{check}"


def validate_upn(value: str) -> None:
    """Django validator: raises ValidationError (code "invalid_upn") unless ``value`` is a UPN."""
    problem = upn_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_upn")


def validate_nhs_number(value: str) -> None:
    """Django validator: raises ValidationError (code "invalid_nhs_number") unless valid."""
    problem = nhs_number_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_nhs_number")
