"""legpain: why do my legs hurt when I lie down? Possible causes, how soon to get help, safe advice.

The public API is pinned in ``__all__``; everything else is private and may change.
Names load on first use (PEP 562), so ``legpain --help`` starts without the engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Where each public name lives.
_HOMES = {
    "Case": "legpain.cases",
    "CaseFileError": "legpain.cases",
    "load_cases": "legpain.cases",
    "Assessment": "legpain.engine",
    "CaseError": "legpain.engine",
    "Engine": "legpain.engine",
    "assess": "legpain.engine",
    "Interview": "legpain.interview",
    "Question": "legpain.interview",
    "KnowledgeError": "legpain.knowledge",
    "load_knowledge": "legpain.knowledge",
    "ParseResult": "legpain.text",
    "parse": "legpain.text",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'legpain' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
