"""Shared fixtures. The shared folder (vocabulary, vignettes) sits beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from legpain.engine import Engine, default_engine
from legpain.knowledge import KnowledgeBase, load_knowledge

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def engine() -> Engine:
    return default_engine()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "spec" / "vocabulary.yaml").exists():
        pytest.fail(f"the shared folder is missing beside the repository: {SHARED}")
    return SHARED
