"""legpain: why do my legs hurt when I lie down? Possible causes, how soon to get help, safe advice.

The public API is pinned in ``__all__``; everything else is private and may change.
"""

from legpain.cases import Case, CaseFileError, load_cases
from legpain.engine import Assessment, CaseError, Engine, assess
from legpain.interview import Interview, Question
from legpain.knowledge import KnowledgeError, load_knowledge
from legpain.text import ParseResult, parse

__version__ = "0.1.0"

__all__ = [
    "Assessment",
    "Case",
    "CaseError",
    "CaseFileError",
    "Engine",
    "Interview",
    "KnowledgeError",
    "ParseResult",
    "Question",
    "__version__",
    "assess",
    "load_cases",
    "load_knowledge",
    "parse",
]
