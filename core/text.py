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
# Python counts these as printable, so the fast path below would keep them; every other invisible
# character is non-printable to Python.
_PRINTABLE_BLANKS = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u2800\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]"
)


def _kept(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) not in _INVISIBLE_CATEGORIES


def clean(value: str) -> str:
    """The text normalised (NFC), without invisible characters, its whitespace collapsed.

    Most text is printable and takes only C-speed steps: an import cleans every cell of a file of
    800,000 rows with it.
    """
    if not value.isascii():
        value = _PRINTABLE_BLANKS.sub("", unicodedata.normalize("NFC", value))
    if not value.isprintable():
        value = "".join(filter(_kept, value))
    return " ".join(value.split())
