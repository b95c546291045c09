"""The engine: inference, triage, explanation and advice over the knowledge base."""

from legpain.engine._answers import UNKNOWN, CaseError, Value, parse_answers
from legpain.engine._assess import Assessment, Engine, RankedCause, assess, default_engine
from legpain.engine._model import LEAK

__all__ = [
    "LEAK",
    "UNKNOWN",
    "Assessment",
    "CaseError",
    "Engine",
    "RankedCause",
    "Value",
    "assess",
    "default_engine",
    "parse_answers",
]
