"""Schemathesis over the OpenAPI document against the running server: for every operation,
generated requests that fit the schema and requests that do not, as a logged-in clerk with
real cases to hit. No answer may be a server error or differ from the schema (status code,
media type, body, headers); at least 1,000 requests in all."""

from __future__ import annotations

from collections import Counter

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import Server, make_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES = 15  # per operation and generation mode
MINIMUM_REQUESTS = 1000
SKIPPED = {  # they would end the fuzzing clerk's own login; tested by hand in test_auth.py
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/password"),
}


def test_generated_requests_meet_the_schema(server: Server) -> None:
    world = make_world(server)
    clerk = world.login("clerk")
    for _ in range(3):  # real cases, so generated ids sometimes hit one
        world.register(clerk)
    headers = {"Authorization": clerk.headers["Authorization"]}
    api = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    sent: Counter[str] = Counter()
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 40
    for operation in operations:
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=strategy)
        @settings(
            max_examples=2 * EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,  # the same requests every run: a failure is reproducible
            database=None,
        )
        def run(case: schemathesis.Case) -> None:
            sent[case.operation.label] += 1
            case.call_and_validate(base_url=server.url, headers=headers, checks=CHECKS)

        run()
    assert sum(sent.values()) >= MINIMUM_REQUESTS, sent
