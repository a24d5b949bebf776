"""Identifier rules for people on probation. Pure.

CRN: one letter and six digits (nDelius case reference number).
PNC number: year (2 or 4 digits), a slash, a serial of up to 7 digits and a
check letter. The check letter is the (2-digit year + 7-digit zero-padded
serial) number modulo 23, indexed into "ZABCDEFGHJKLMNPQRTUVWXY" (the Police
National Computer's check character: I, O and S are not used).
"""

from __future__ import annotations

import re
from enum import StrEnum


class Sex(StrEnum):
    """The values of sex as recorded (the tier and placement rules differ for women).

    Defined here, with no Django, so pure rules can name them; ``people.constants.Sex``
    (the form and model choices) takes its values from this one list.
    """

    MALE = "MALE"
    FEMALE = "FEMALE"


CRN_PATTERN = re.compile(r"^[A-Z][0-9]{6}$")
PNC_PATTERN = re.compile(r"^(?P<year>\d{2}|\d{4})/(?P<serial>\d{1,7})(?P<check>[A-Z])$")
PNC_CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"


def is_valid_crn(value: str) -> bool:
    return bool(CRN_PATTERN.match(value))


def pnc_check_letter(year: str, serial: str) -> str:
    number = int(year[-2:] + serial.zfill(7))
    return PNC_CHECK_LETTERS[number % 23]


def normalise_pnc(value: str) -> str:
    """Canonical form YYYY/NNNNNNNA where the year is given with 4 digits, else YY/...."""
    match = PNC_PATTERN.match(value.strip().upper())
    if match is None:
        raise ValueError("Enter a PNC number in the format 2012/0123456X")
    year, serial, check = match["year"], match["serial"], match["check"]
    if pnc_check_letter(year, serial) != check:
        raise ValueError("The PNC number's check letter is wrong: check the number and try again")
    return f"{year}/{serial.zfill(7)}{check}"


_SOUNDEX_CODES = {
    **dict.fromkeys("BFPV", "1"),
    **dict.fromkeys("CGJKQSXZ", "2"),
    **dict.fromkeys("DT", "3"),
    "L": "4",
    **dict.fromkeys("MN", "5"),
    "R": "6",
}


def soundex(name: str) -> str:
    """American Soundex (4 characters): names that sound alike share a key (Smith, Smyth).

    Stored beside each name so approximate search is an indexed equality, the same
    on SQLite and PostgreSQL.
    """
    letters = [c for c in name.upper() if "A" <= c <= "Z"]
    if not letters:
        return ""
    first, rest = letters[0], letters[1:]
    code = [first]
    previous = _SOUNDEX_CODES.get(first, "")
    for char in rest:
        digit = _SOUNDEX_CODES.get(char, "")
        if digit and digit != previous:
            code.append(digit)
        if char not in "HW":
            previous = digit
    return ("".join(code) + "000")[:4]
