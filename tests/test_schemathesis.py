"""Schemathesis against the OpenAPI document, on the Neo4j backend: no input produces a 5xx.

Cases are drawn per operation with Hypothesis from schemathesis's strategies (its pytest plugin
is not used: it does not load under pytest 9).
"""

from __future__ import annotations

from typing import Any, cast

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from api.http.app import create_app
from api.http.settings import ApiSettings
from graph.neo4j_store import Neo4jStore
from tests.helpers import API_KEY

pytestmark = pytest.mark.neo4j

EXAMPLES = 40


def test_no_input_produces_a_server_error(neo4j_store: Neo4jStore) -> None:
    app = create_app(ApiSettings(backend="neo4j", api_key=API_KEY), store=neo4j_store)  # type: ignore[arg-type]
    app.state.store = neo4j_store  # the ASGI transport does not run the lifespan
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [cast(Any, result).ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def no_server_error(case: Any) -> None:
            case.call_and_validate(headers={"X-API-Key": API_KEY}, checks=[not_a_server_error])

        no_server_error()
