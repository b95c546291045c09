"""Schemathesis against the OpenAPI schema of a live server: no 5xx, and every
response matches the schema (status, content type, body). Bounded: a few dozen
generated requests per operation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS

from legpain.web import Settings
from live_server import fresh_database_url, serve

MAX_EXAMPLES = 30


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = fresh_database_url("sqlite", Path(tmp_path_factory.mktemp("schema")))
    with serve(Settings(database_url=url, rate_limit_per_minute=0)) as base:
        yield base


@pytest.fixture(scope="module")
def api_schema(live_url: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{live_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")

# The schema cannot list which finding ids and values the vocabulary allows, so a
# schema-valid but clinically unknown answer is rightly refused with 422.
EXCLUDED = {"positive_data_acceptance"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case: schemathesis.Case, live_url: str) -> None:
    if "interview_id" in (case.path_parameters or {}):
        # A real interview, so the operations are exercised beyond "not found".
        created = httpx.post(f"{live_url}/api/v1/interviews", json={"answers": {"age": 50}})
        case.path_parameters["interview_id"] = created.json()["id"]
    checks = [c for c in CHECKS.get_all() if c.__name__ not in EXCLUDED]
    case.call_and_validate(base_url=live_url, checks=checks)
