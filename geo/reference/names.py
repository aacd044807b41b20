"""Names: normalised for case-, accent- and punctuation-blind matching; close-name suggestions.

The same function builds the search keys stored in ``data/gazetteer.parquet``
(by ``scripts/build_gazetteer.py``) and normalises queries at run time, so
:data:`NORMALISE_VERSION` is written into the file and checked on load: a
change to :func:`normalise_name` must bump it and the gazetteer be rebuilt.

:func:`close_names` is the one suggester of every "did you mean" in georange's
messages.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from typing import Final

__all__ = ["CLOSE_CUTOFF", "NORMALISE_VERSION", "as_asked", "close_matches", "close_names", "normalise_name",
           "transliterations"]

NORMALISE_VERSION: Final = "1"
"""Version of the rules of :func:`normalise_name`; stored in the gazetteer."""

# Letters that NFKD does not decompose into base letter + combining mark.
_FOLD: Final = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "ŧ": "t",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
    }
)

# Apostrophe-like characters are dropped ("N'Djamena" == "Ndjamena",
# "Nukuʻalofa" == "Nuku'alofa"); ʻ and ʼ are letters (Lm) to Unicode, hence
# the explicit list.
_APOSTROPHES: Final = frozenset("'’‘ʻʼʽ`´′")
_ASCII_APOSTROPHES: Final = str.maketrans("", "", "".join(c for c in _APOSTROPHES if c.isascii()))
_ASCII_SPACES: Final = re.compile(r"[^a-z0-9]")


def normalise_name(text: str) -> str:
    """Return the search key of a place or country name.

    Parameters
    ----------
    text : str
        A name in any script.

    Returns
    -------
    str
        The name case-folded, decomposed (NFKD) with combining marks removed,
        a few undecomposable Latin letters folded (ł→l, ø→o, æ→ae, ...),
        apostrophes removed, every other punctuation, symbol, separator or
        control character turned into a space, and runs of spaces collapsed.
        The key never contains ``"|"``.

    Notes
    -----
    Removing marks is applied to every script, so e.g. Cyrillic "й" and "и"
    compare equal; both the stored keys and the query go through the same
    function, so this only ever widens a match.

    Examples
    --------
    >>> normalise_name("  São  Tomé ")
    'sao tome'
    >>> normalise_name("St. John's")
    'st johns'
    >>> normalise_name("Łódź") == normalise_name("LODZ")
    True
    """
    if text.isascii():  # the same key, without Unicode tables: ASCII has no marks, every non-alphanumeric is P/S/Z/C
        return " ".join(_ASCII_SPACES.sub(" ", text.translate(_ASCII_APOSTROPHES).lower()).split())
    return _unicode_key(text)


def _unicode_key(text: str) -> str:
    """:func:`normalise_name` for any text, through the Unicode tables."""
    # Apostrophes go first: NFKD would turn "´" into a space plus a mark.
    text = "".join(ch for ch in text if ch not in _APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    chars: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        category = unicodedata.category(ch)
        if category[0] in "PSZC":
            chars.append(" ")
        else:
            chars.append(ch)
    return " ".join("".join(chars).translate(_FOLD).split())


# Cyrillic search keys (marks already removed: й is и, ё is е, ї is і) in Latin letters, the Russian and the
# Ukrainian way (BGN/PCGN-like, without apostrophes): Калининград -> kaliningrad, Київ -> kyiv.
_COMMON: Final = {"а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "ж": "zh", "з": "z", "к": "k", "л": "l",
                  "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
                  "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "", "ю": "yu",
                  "я": "ya", "ґ": "g", "ў": "u", "ы": "y", "э": "e"}
_RUSSIAN: Final = str.maketrans({**_COMMON, "г": "g", "и": "i", "і": "i", "є": "e"})
_UKRAINIAN: Final = str.maketrans({**_COMMON, "г": "h", "и": "y", "і": "i", "є": "ie"})


def transliterations(key: str) -> tuple[str, ...]:
    """Return a Cyrillic search key in Latin letters, the Russian and the Ukrainian way (``()`` if not Cyrillic).

    For comparing a name in Cyrillic with a place's primary name in Latin
    letters; not a standard romanisation.

    Examples
    --------
    >>> transliterations(normalise_name("Калининград"))
    ('kaliningrad', 'kalynynhrad')
    >>> transliterations("kyiv")
    ()
    """
    if not any("\u0400" <= ch <= "\u04ff" for ch in key):
        return ()
    return tuple(dict.fromkeys((key.translate(_RUSSIAN), key.translate(_UKRAINIAN))))


CLOSE_CUTOFF: Final = 0.6
"""Similarity (difflib ratio) a name needs to be suggested."""


def close_matches(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` of ``choices`` close to ``word``, closest first: the one rule of every suggestion."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=CLOSE_CUTOFF)


def close_names(word: str, choices: Iterable[str], n: int = 3) -> str:
    """Return ``"; did you mean 'a' or 'b'?"`` for close matches of `word` (ignoring case), or ``""``."""
    pool = sorted({str(c) for c in choices})
    lowered = {c.lower(): c for c in pool}
    hits = close_matches(str(word).lower(), lowered, n=n)
    if not hits:
        return ""
    return "; did you mean " + " or ".join(repr(lowered[h]) for h in hits) + "?"


def as_asked(label: str, query: object) -> str:
    """Return a label with the user's spelling when it says something else: ``"Kyiv (Kiew)"``, ``"Belarus (BLR)"``.

    The spelling is left out when the label already says it: the same name
    (any case), the name with a qualifier or code after it (``Gdańsk`` for
    ``"Gdańsk, PL"``, ``Hawaii`` for ``"Hawaii (US-HI)"``), or a named
    coordinate's own name (``Woody=16.83N 112.34E`` for ``"Woody"``). A
    query that is not text (a place not given by name) adds nothing. The one
    rule for tables, reports and titles.

    Examples
    --------
    >>> as_asked("Kyiv", "Kiew"), as_asked("Hawaii (US-HI)", "hawaii"), as_asked("New York", "York")
    ('Kyiv (Kiew)', 'Hawaii (US-HI)', 'New York (York)')
    """
    q = " ".join(query.split()) if isinstance(query, str) else ""
    name, key = label.casefold(), q.casefold()
    if not q or key == name or name.startswith((key + " (", key + ", ")) or key.startswith(name + "="):
        return label
    return f"{label} ({q})"
