"""The UPN and NHS number checks (referrals/identifiers.py). Pure functions: no database."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from referrals.identifiers import (
    NHS_NUMBER_CHECK_MESSAGE,
    NHS_NUMBER_FORMAT_MESSAGE,
    UPN_CHECK_LETTER_MESSAGE,
    UPN_FORMAT_MESSAGE,
    UPN_LETTERS,
    format_nhs_number,
    make_nhs_number,
    make_upn,
    nhs_number_problem,
    normalise_nhs_number,
    normalise_upn,
    upn_check_letter,
    upn_problem,
    validate_nhs_number,
    validate_upn,
)

# --- Unique Pupil Numbers ---------------------------------------------------------------------


def test_it_accepts_a_published_valid_upn():
    # The worked example in python-stdnum's documentation for stdnum.gb.upn.
    assert upn_problem("B801200005001") is None


def test_it_accepts_a_barnet_upn_checked_by_hand():
    # 302 is Barnet's LA number. Characters 2-13 of 302 2001 24 001 times positions 2-13:
    # 3x2 + 0x3 + 2x4 + 2x5 + 0x6 + 0x7 + 1x8 + 2x9 + 4x10 + 0x11 + 0x12 + 1x13 = 103;
    # 103 mod 23 = 11, and letter 11 of ABCDEFGHJKLMNPQRTUVWXYZ (from 0) is M.
    assert make_upn(302, 2001, 24, 1) == "M302200124001"
    assert upn_problem("M302200124001") is None


def test_it_follows_the_census_guides_worked_example_not_its_sum():
    # School census error 1510 guidance works B207000016049 through as
    # (2x2)+(4x7)+(9x1)+(10x6)+(12x4)+(13x9) but writes the total as 267 (Q). Those products
    # add to 266; 266 mod 23 = 13, which is P.
    assert upn_check_letter("207000016049") == "P"
    assert upn_problem("P207000016049") is None
    assert upn_problem("B207000016049") == UPN_CHECK_LETTER_MESSAGE


def test_it_accepts_a_temporary_upn_ending_in_a_letter():
    # The final letter counts as its place in the check alphabet: A is 0, B is 1.
    # 8x2 + 1x4 + 2x5 + 5x10 + 0x13 = 80; 80 mod 23 = 11: M.
    assert upn_problem("M80120000500A") is None
    # The same with B: 80 + 1x13 = 93; 93 mod 23 = 1: B.
    assert upn_problem("B80120000500B") is None


def test_it_rejects_a_upn_with_the_wrong_check_letter():
    assert upn_problem("A801200005001") == UPN_CHECK_LETTER_MESSAGE


def test_its_format_example_is_itself_a_valid_upn():
    example = UPN_FORMAT_MESSAGE.rsplit(" ", 1)[-1]
    assert upn_problem(example) is None


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "B80120000500",  # 12 characters
        "B8012000050011",  # 14 characters
        "880120000500A",  # starts with a digit
        "X80120000A001",  # a letter in the middle
        "B80120000500I",  # I, O and S are never used: they look like 1, 0 and 5
        "B80120000500O",
        "B80120000500S",
        "B8012-0000-5001",
    ],
)
def test_it_rejects_a_upn_of_the_wrong_shape(typed):
    assert upn_problem(typed) == UPN_FORMAT_MESSAGE


def test_it_tidies_spaces_and_lower_case_in_a_upn():
    assert normalise_upn(" b801 2000 05001\t") == "B801200005001"
    assert upn_problem(" b801 2000 05001\t") is None


def test_the_upn_validator_raises_the_message():
    validate_upn("B801200005001")
    with pytest.raises(ValidationError) as raised:
        validate_upn("A801200005001")
    assert raised.value.messages == [UPN_CHECK_LETTER_MESSAGE]
    assert raised.value.code == "invalid_upn"


def test_it_refuses_to_make_a_upn_from_a_part_too_big():
    with pytest.raises(ValueError, match="establishment"):
        make_upn(302, 10000, 24, 1)


upn_parts = st.tuples(
    st.integers(0, 999), st.integers(0, 9999), st.integers(0, 99), st.integers(0, 999)
)


@given(upn_parts)
def test_every_made_upn_is_valid(parts):
    upn = make_upn(*parts)
    assert len(upn) == 13
    assert upn_problem(upn) is None


@given(upn_parts, st.sampled_from(UPN_LETTERS))
def test_every_other_check_letter_is_rejected(parts, letter):
    upn = make_upn(*parts)
    if letter != upn[0]:
        assert upn_problem(letter + upn[1:]) == UPN_CHECK_LETTER_MESSAGE


@given(upn_parts, st.integers(1, 12), st.integers(1, 9))
def test_a_single_mistyped_digit_is_always_caught(parts, position, change):
    # 23 is prime and every weight is below it, so no one-digit slip keeps the same letter.
    upn = make_upn(*parts)
    digit = (int(upn[position]) + change) % 10
    mistyped = upn[:position] + str(digit) + upn[position + 1 :]
    assert upn_problem(mistyped) == UPN_CHECK_LETTER_MESSAGE


# --- NHS numbers ------------------------------------------------------------------------------


def test_it_accepts_a_valid_nhs_number():
    assert nhs_number_problem("9434765919") is None


def test_it_rejects_an_nhs_number_with_the_wrong_check_digit():
    assert nhs_number_problem("9434765918") == NHS_NUMBER_CHECK_MESSAGE


def test_it_rejects_an_nhs_number_whose_check_digit_would_be_ten():
    # 0x10 + ... + 6x2 = 12; 12 mod 11 = 1; 11 - 1 = 10: no check digit fits.
    assert make_nhs_number("000000006") is None
    for last in "0123456789":
        assert nhs_number_problem("000000006" + last) == NHS_NUMBER_CHECK_MESSAGE


def test_it_accepts_spaces_and_hyphens_in_an_nhs_number():
    assert normalise_nhs_number(" 943-476 5919 ") == "9434765919"
    assert nhs_number_problem("943 476 5919") is None
    assert nhs_number_problem("943-476-5919") is None


@pytest.mark.parametrize(
    "typed",
    ["", "943476591", "94347659190", "943476591X", "943.476.5919", "９４３４７６５９１９"],
)
def test_it_rejects_an_nhs_number_that_is_not_ten_digits(typed):
    # The last is ten full-width digits: Python calls them digits, the NHS does not.
    assert nhs_number_problem(typed) == NHS_NUMBER_FORMAT_MESSAGE


def test_it_formats_an_nhs_number_in_threes_and_four():
    assert format_nhs_number("9434765919") == "943 476 5919"
    assert format_nhs_number("943-476-5919") == "943 476 5919"


def test_it_leaves_something_that_is_not_an_nhs_number_unformatted():
    assert format_nhs_number("94 34") == "9434"


def test_the_nhs_number_validator_raises_the_message():
    validate_nhs_number("943 476 5919")
    with pytest.raises(ValidationError) as raised:
        validate_nhs_number("12345")
    assert raised.value.messages == [NHS_NUMBER_FORMAT_MESSAGE]
    assert raised.value.code == "invalid_nhs_number"


def test_it_refuses_to_make_an_nhs_number_from_other_than_nine_digits():
    with pytest.raises(ValueError, match="nine digits"):
        make_nhs_number("94347659")


def test_it_makes_the_published_valid_nhs_number():
    assert make_nhs_number("943476591") == "9434765919"


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits)
def test_every_made_nhs_number_is_valid_or_impossible(nine):
    number = make_nhs_number(nine)
    if number is None:
        assert all(nhs_number_problem(nine + last) for last in "0123456789")
    else:
        assert number.startswith(nine)
        assert nhs_number_problem(number) is None
        assert nhs_number_problem(format_nhs_number(number)) is None


@given(nine_digits, st.integers(0, 9), st.integers(1, 9))
def test_a_single_mistyped_nhs_digit_is_always_caught(nine, position, change):
    number = make_nhs_number(nine)
    if number is None:
        return
    digit = (int(number[position]) + change) % 10
    mistyped = number[:position] + str(digit) + number[position + 1 :]
    assert nhs_number_problem(mistyped) == NHS_NUMBER_CHECK_MESSAGE
