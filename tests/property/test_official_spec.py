"""schemathesis against Intercom's OFFICIAL descriptions (../shared/intercom-openapi, 2.15 and 2.16)."""

import os

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from fake_intercom import Settings, create_app
from tests.conftest import SPEC_DIR

VERSIONS = ("2.15", "2.16")
if not all((SPEC_DIR / f"api.intercom.io.{v}.yaml").is_file() for v in VERSIONS):
    pytest.skip(f"the official descriptions are not in {SPEC_DIR}", allow_module_level=True)

TOKEN = "official-spec-token"
APP = create_app(Settings(seed="demo", token=TOKEN, rate_limit=1_000_000))
EXAMPLES = int(os.environ.get("OFFICIAL_SPEC_EXAMPLES", "5"))


@schemathesis.check
def success_status_documented(ctx, response, case) -> None:
    """A 2xx must be one the description documents (201 for 200, 200 for 204 ... break clients)."""
    documented = case.operation.responses.status_codes
    if 200 <= response.status_code < 300 and "default" not in documented:
        if str(response.status_code) not in documented and "2XX" not in documented:
            raise AssertionError(f"{response.status_code} is not documented (documented: {', '.join(documented)})")


@schemathesis.check
def errors_are_error_lists(ctx, response, case) -> None:
    """Every 4xx carries Intercom's error envelope (FIDELITY §3), documented or not."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert body.get("type") == "error.list", body
        assert body.get("errors") and all("code" in e and "message" in e for e in body["errors"]), body


def load(version: str):
    with open(SPEC_DIR / f"api.intercom.io.{version}.yaml") as handle:
        raw = yaml.load(handle, Loader=yaml.CSafeLoader)
    config = SchemathesisConfig.from_dict(
        {
            "parameters": {"header.Intercom-Version": version},
            "generation": {"mode": "positive"},
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        }
    )
    schema = schemathesis.openapi.from_dict(raw, config=config)
    schema.app = APP
    schema.config.update(base_url="http://testserver")
    return schema


@schemathesis.pytest.parametrize(**{f"v{v.replace('.', '')}": load(v) for v in VERSIONS})
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_fake_conforms_to_the_official_description(case) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=[not_a_server_error, response_schema_conformance, success_status_documented, errors_are_error_lists],
    )
