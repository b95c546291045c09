"""The knowledge base: clinical facts as data, validated by one schema."""

from legpain.knowledge._loader import (
    KnowledgeBase,
    KnowledgeError,
    load_knowledge,
    load_knowledge_from,
)
from legpain.knowledge._schema import TRIAGE_ORDER, TriageLevel

__all__ = [
    "TRIAGE_ORDER",
    "KnowledgeBase",
    "KnowledgeError",
    "TriageLevel",
    "load_knowledge",
    "load_knowledge_from",
]
