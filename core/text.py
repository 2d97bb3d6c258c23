"""Free text as a person can read it: NFC, no invisible characters, one space between words.

NFC rather than NFKC: NFC only chooses one encoding for the same character (a composed é, the unified
form of a CJK compatibility ideograph), so what a person typed is what is stored. NFKC would also
rewrite Chinese text's own full-width punctuation (，：（）become , : ( )) in every address and
description, and superscripts and circled numbers with it. Full-width digits in an ID or a phone are
the business of the ID and phone rules, not of text cleaning.

Removed: control (Cc) and format (Cf) characters (zero-width space U+200B, bidi overrides such as
U+202E, word joiner U+2060, byte-order mark U+FEFF…), lone surrogates (Cs), and the other characters
Unicode marks default-ignorable (variation selectors, Hangul fillers…) plus the Braille blank U+2800,
which all render as nothing. Runs of whitespace, line breaks included, become one space; the ends are
trimmed. Private-use and unassigned code points stay: some registers map rare name characters (生僻字)
to the private-use area, and characters newer than this Python's Unicode tables must survive.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Python counts these as printable, so isprintable() does not find them; every other invisible
# character is non-printable to Python.
_PRINTABLE_BLANKS = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u2800\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]"
)
# What else a printable, normalised text may hold that cleaning would change.
_UNTIDY = re.compile(f"{_PRINTABLE_BLANKS.pattern}|  |^ | $")


def _kept(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) not in _INVISIBLE_CATEGORIES


def clean(value: str) -> str:
    """The text normalised (NFC), without invisible characters, its whitespace collapsed.

    Text that is already clean is returned after a few C-speed checks: an import cleans every cell
    of a file of 800,000 rows with this.
    """
    if value.isprintable():
        if value.isascii():
            return " ".join(value.split()) if "  " in value else value.strip()
        if unicodedata.is_normalized("NFC", value) and not _UNTIDY.search(value):
            return value
    value = _PRINTABLE_BLANKS.sub("", unicodedata.normalize("NFC", value))
    return " ".join("".join(filter(_kept, value)).split())


def needs_cleaning(text: str, *, chunk: int = 1 << 20) -> bool:
    """Whether any line of a long text (a whole CSV file) holds something `clean` would change other
    than spaces at the ends of its fields; a tidy file's cells then need only trimming. Read in
    slices so that a file of hundreds of megabytes is not copied whole."""
    return (
        "  " in text
        or not unicodedata.is_normalized("NFC", text)
        or _PRINTABLE_BLANKS.search(text) is not None
        or not all(
            text[start : start + chunk].replace("\r", "").replace("\n", "").isprintable()
            for start in range(0, len(text), chunk)
        )
    )
