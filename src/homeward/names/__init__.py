"""Names across scripts: detection, transliteration, equivalents across languages, canonical keys.

Pure Python (no Django imports): the matcher and any command-line tool can use it directly.
Dictionaries are built lazily on first use.  See docs/names.md.
"""

from .collate import collation_key
from .dates import DateError, ParsedDate, parse_date
from .keys import NameKeys, detect_language, name_keys, split_full_name
from .places import canonical_place
from .reading import READING_SCHEMES, latin_reading, name_language
from .text import detect_script, repair_homoglyphs
from .translit import SCHEMES, transliterate

__all__ = [
    "READING_SCHEMES",
    "SCHEMES",
    "DateError",
    "NameKeys",
    "ParsedDate",
    "canonical_place",
    "collation_key",
    "detect_language",
    "detect_script",
    "latin_reading",
    "name_keys",
    "name_language",
    "parse_date",
    "repair_homoglyphs",
    "split_full_name",
    "transliterate",
]
