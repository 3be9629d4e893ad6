"""Names across scripts: detection, transliteration, equivalents across languages, canonical keys."""
