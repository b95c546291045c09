"""Free text -> findings: what a person wrote, read into a case's answers with evidence.

Built on spaCy (a blank, rule-based pipeline: nothing to download) and medspaCy's target
rules and ConText. The lay lexicon is data, one folder per language under ``lexicon/``.
"""

from legpain.text._lexicon import (
    Lexicon,
    LexiconError,
    check_lexicons,
    languages,
    load_lexicon,
)
from legpain.text._parse import Evidence, ParseResult, SetAside, parse

__all__ = [
    "Evidence",
    "Lexicon",
    "LexiconError",
    "ParseResult",
    "SetAside",
    "check_lexicons",
    "languages",
    "load_lexicon",
    "parse",
]
