import pytest

from people.rules import is_valid_crn, normalise_pnc, pnc_check_letter, soundex


@pytest.mark.parametrize(
    ("crn", "ok"),
    [("X123456", True), ("x123456", False), ("X12345", False), ("XX23456", False), ("X1234567", False)],
)
def test_crn_is_one_letter_and_six_digits(crn: str, ok: bool) -> None:
    assert is_valid_crn(crn) is ok


def test_pnc_check_letter() -> None:
    # 12 + 0123456 = 120123456; 120123456 mod 23 = 22 -> "Y" (the 23rd check letter)
    assert pnc_check_letter("2012", "123456") == "Y"
    # 04 + 0000001 = 40000001; mod 23 = 11 -> "L"
    assert pnc_check_letter("2004", "1") == "L"
    assert normalise_pnc("2012/123456y") == "2012/0123456Y"
    assert normalise_pnc("12/0123456Y") == "12/0123456Y"


@pytest.mark.parametrize("bad", ["2012/0123456F", "2012-0123456F", "2012/012345678F", "20121/1F", ""])
def test_invalid_pnc_numbers_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        normalise_pnc(bad)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Robert", "R163"),
        ("Rupert", "R163"),
        ("Smith", "S530"),
        ("Smyth", "S530"),
        ("Ashcraft", "A261"),
        ("Tymczak", "T522"),
        ("Pfister", "P236"),
        ("O'Brien", "O165"),
        ("", ""),
    ],
)
def test_soundex(name: str, key: str) -> None:
    assert soundex(name) == key
