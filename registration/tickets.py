"""Ticket codes that check-in staff can type: ten letters and digits, the last a check character.

Why ten characters, when DESIGN rule 4 asks 128 bits of every token? Rule 4 is for tokens that
open something by themselves: a manage link, an invitation, an unsubscribe link. A ticket code
opens nothing by itself. It is read only by the check-in desk and `POST /events/{slug}/checkins/`,
both of which need a signed-in member of the event's team; it is looked up within that one event;
and it is never the manage link or the join link (those keep their own 192-bit secrets). What it
must resist is a guess typed by staff at a door with a queue, which is a few guesses a minute, each
checked against the name the desk then shows. Nine random characters of a 32-letter alphabet are 45
bits: with 1,000 registrants a random code is somebody's ticket once in 35 billion tries. The tenth
character is a Luhn mod 32 check, so a mistyped character or two swapped neighbours are caught
before anyone is looked up. Codes are unique per event (a database constraint), so a code of one
event never checks anyone into another.

Codes issued before these (26 characters, no check character) stay valid: they are in QR codes
already emailed, so they are accepted as they are and never re-issued.
"""

import re
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread at the door
RANDOM_LENGTH = 9  # 45 random bits
CODE_LENGTH = RANDOM_LENGTH + 1  # and the check character
# A shorter prefix would match too many tickets of a large event to be worth trying.
PREFIX_MIN_LENGTH = 4

# Spaces, hyphens, dashes and anything else that cannot be part of a code.
_NOT_IN_CODE = re.compile(r"[^A-Z0-9]+")
_INDEX = {letter: index for index, letter in enumerate(ALPHABET)}


def _luhn_sum(code: str, *, doubled_first: bool) -> int:
    """Luhn mod N: from the right, every other character's value is doubled and its two
    base-N digits added."""
    base = len(ALPHABET)
    total = 0
    double = doubled_first
    for letter in reversed(code):
        value = _INDEX[letter] * (2 if double else 1)
        total += value // base + value % base
        double = not double
    return total


def check_character(payload: str) -> str:
    """The character that makes `payload + it` pass the Luhn mod 32 check."""
    base = len(ALPHABET)
    return ALPHABET[(base - _luhn_sum(payload, doubled_first=True) % base) % base]


def has_valid_check(code: str) -> bool:
    """Whether a full code's last character checks the others; False for unknown letters."""
    if not code or any(letter not in _INDEX for letter in code):
        return False
    return _luhn_sum(code, doubled_first=False) % len(ALPHABET) == 0


def new_ticket_code() -> str:
    """Nine random characters and a check character.

    Each random byte picks a letter by its low five bits: 256 is a multiple of 32, so every
    letter is equally likely.
    """
    payload = "".join(ALPHABET[byte & 31] for byte in secrets.token_bytes(RANDOM_LENGTH))
    return payload + check_character(payload)


def normalize(code: str) -> str:
    """'k7pqx-2mnab' as typed at the door reads as the stored 'K7PQX2MNAB'."""
    return _NOT_IN_CODE.sub("", (code or "").upper())


def is_short_code(code: str) -> bool:
    """A code of the kind issued now (ten characters with a check), not an older long one."""
    return len(code) == CODE_LENGTH


def mistyped(code: str) -> bool:
    """A full-length code whose check character does not match: some character is wrong (an O
    or an I, which the alphabet leaves out, included)."""
    return is_short_code(code) and not has_valid_check(code)


def grouped(code: str) -> str:
    """'K7PQX 2MNAB': two groups of five to read aloud or type; older codes in fours."""
    size = 5 if is_short_code(code) else 4
    return " ".join(code[i : i + size] for i in range(0, len(code), size))
