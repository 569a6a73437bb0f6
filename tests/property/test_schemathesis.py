"""schemathesis over the fake's own OpenAPI: no input makes it fail with a 5xx, and every
documented response matches its schema."""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from fake_intercom import Settings, create_app
from tests.conftest import examples

TOKEN = "schemathesis-token"
APP = create_app(Settings(seed="demo", token=TOKEN))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
# The same examples every run (the default profile, tests/conftest.py), so CI is not flaky.
@settings(max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_documented_shapes(case) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
