"""schemathesis against Intercom's OFFICIAL descriptions (../shared/intercom-openapi, 2.15 and 2.16).

The fake's own OpenAPI only proves the fake agrees with itself; the official description is the oracle for
shapes (stripe-mock's approach). Every operation of each version is called in-process on a demo-seeded
workspace with `Intercom-Version` equal to the description's version. Path ids are drawn half the time from
the objects the demo workspace really has, so single-object responses are checked too, not just 404s.

Checks: no 5xx; every response whose status the description documents matches its schema; a 2xx is one
the description documents; an undocumented 4xx still carries Intercom's error list (FIDELITY §3).
Where the fake follows the real API over a wrong description (FIDELITY §9), the description is corrected
in SPEC_EXCEPTIONS below, one field at a time, each with its reference.

Cost: OFFICIAL_SPEC_EXAMPLES (default 5) examples per operation, the same ones every run so that CI is
not flaky. A longer, random exploration (new examples each time):
    OFFICIAL_SPEC_EXAMPLES=50 .venv/bin/python -m pytest -p no:cacheprovider tests/property/test_official_spec.py
"""

import os
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from fake_intercom import Settings, create_app
from fake_intercom.testing import SyncASGITransport
from tests.conftest import SPEC_DIR

VERSIONS = ("2.15", "2.16")
if not all((SPEC_DIR / f"api.intercom.io.{v}.yaml").is_file() for v in VERSIONS):
    pytest.skip(f"the official descriptions are not in {SPEC_DIR}", allow_module_level=True)

TOKEN = "official-spec-token"
BASE_URL = "http://testserver"
APP = create_app(Settings(seed="demo", token=TOKEN, rate_limit=1_000_000))
EXAMPLES = int(os.environ.get("OFFICIAL_SPEC_EXAMPLES", "5"))


def _schema_at(raw: dict[str, Any], pointer: str) -> dict[str, Any]:
    node: Any = raw
    for part in pointer.strip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _nullable(raw: dict[str, Any], pointer: str) -> None:
    _schema_at(raw, pointer)["nullable"] = True


def _relative_url(raw: dict[str, Any], pointer: str) -> None:
    del _schema_at(raw, pointer)["format"]


def _page_links(raw: dict[str, Any], pointer: str) -> None:
    _schema_at(raw, pointer).update({"$ref": "#/components/schemas/pages_link"})


def _in_path(raw: dict[str, Any], pointer: str) -> None:
    for parameter in _schema_at(raw, pointer):
        if parameter.get("name") == "job_identifier":
            parameter["in"] = "path"


def _or_bare_error(raw: dict[str, Any], pointer: str) -> None:
    content = _schema_at(raw, pointer)
    bare = {
        "type": "object",
        "required": ["type", "message"],
        "properties": {
            "type": {"enum": ["error"]},
            "request_id": {"type": "string"},
            "message": {"type": "string"},
        },
    }
    content["schema"] = {"anyOf": [bare, content["schema"]]}


def _integer_id(raw: dict[str, Any], pointer: str) -> None:
    _schema_at(raw, pointer).update({"type": "integer", "nullable": True})


def _conversation_model(raw: dict[str, Any], pointer: str) -> None:
    _schema_at(raw, pointer)["enum"].append("conversation")


def _or_company(raw: dict[str, Any], pointer: str) -> None:
    content = _schema_at(raw, pointer)
    content["schema"] = {"anyOf": [content["schema"], {"$ref": "#/components/schemas/company"}]}


def _or_page_links(raw: dict[str, Any], pointer: str) -> None:
    schema = _schema_at(raw, pointer)
    original = dict(schema)
    schema.clear()
    schema["anyOf"] = [original, {"$ref": "#/components/schemas/pages_link"}]


def _integer_or_string(raw: dict[str, Any], pointer: str) -> None:
    schema = _schema_at(raw, pointer)
    original = dict(schema)
    schema.clear()
    schema["anyOf"] = [original, {"type": "integer"}]


def _string_id(raw: dict[str, Any], pointer: str) -> None:
    _schema_at(raw, pointer)["type"] = "string"


def _avatar_object(raw: dict[str, Any], pointer: str) -> None:
    _schema_at(raw, pointer).clear()
    _schema_at(raw, pointer)["$ref"] = "#/components/schemas/admin_with_app/properties/avatar"


def _typed_values(raw: dict[str, Any], pointer: str) -> None:
    _schema_at(raw, pointer)["additionalProperties"] = {}


BOTH = VERSIONS
S = "/components/schemas"
# Where the description is wrong and the fake follows the real API (its recorded examples, FIDELITY),
# one field at a time: (versions, JSON pointer into the description, correction, reference).
SPEC_EXCEPTIONS: list[tuple[tuple[str, ...], str, Callable[[dict[str, Any], str], None], str]] = [
    # Embedded list urls are relative ("/contacts/<id>/tags", items "/tags/<id>"), as in every recorded
    # contact example; the description marks them format: uri (and the item `type` too, a plain slip).
    (BOTH, f"{S}/addressable_list/properties/type", _relative_url, "FIDELITY §7 nested lists"),
    (BOTH, f"{S}/addressable_list/properties/url", _relative_url, "FIDELITY §7 nested lists"),
    (BOTH, f"{S}/contact_tags/properties/url", _relative_url, "FIDELITY §7 nested lists"),
    (BOTH, f"{S}/contact_notes/properties/url", _relative_url, "FIDELITY §7 nested lists"),
    (BOTH, f"{S}/contact_companies/properties/url", _relative_url, "FIDELITY §7 nested lists"),
    (BOTH, f"{S}/company_data/properties/url", _relative_url, "FIDELITY §7 nested lists"),
    (BOTH, f"{S}/contact_subscription_types/properties/url", _relative_url, "FIDELITY §7 nested lists"),
    # Conversations give admin ids as numbers; a lead may have no email (null).
    (BOTH, f"{S}/conversation_statistics/properties/last_closed_by_id", _integer_id, "FIDELITY §9.5"),
    (BOTH, f"{S}/contact/properties/email", _nullable, "FIDELITY §9.7 (contact nullables)"),
    # An admin's avatar is the `{type: "avatar", image_url}` object of /me everywhere.
    (BOTH, f"{S}/admin/properties/avatar", _avatar_object, "FIDELITY §11.1; python-intercom AdminAvatar"),
    # The away status reason an admin is away for comes back as a string id, as setAwayAdmin's own
    # response example records it (`away_status_reason_id: '12345'`); the schema says integer.
    (BOTH, f"{S}/admin/properties/away_status_reason_id", _string_id, "S15/S16 op setAwayAdmin example"),
    # 2.15 lists conversation data attributes (the operation's own `model` enum has it; 2.16 drops it).
    (("2.15",), f"{S}/data_attribute/properties/model", _conversation_model, "FIDELITY §2.4"),
    # GET /companies and POST /companies/list page by number: `next` is a URL, not a cursor object.
    (
        BOTH,
        f"{S}/company_list/properties/pages",
        _page_links,
        "FIDELITY §4 (GET /companies, /companies/list)",
    ),
    (
        BOTH,
        f"{S}/article_search_response/properties/pages",
        _page_links,
        "FIDELITY §4 (GET /articles/search)",
    ),
    # GET /admins/activity_logs pages by number (`next` a URL); 2.16's search of the same list by cursor.
    (
        BOTH,
        f"{S}/activity_log_list/properties/pages",
        _or_page_links,
        "FIDELITY §4 (GET /admins/activity_logs: page-number)",
    ),
    # ?company_id= or ?name= fetches that one company (the operation's own text), not a list.
    (
        BOTH,
        "/paths/~1companies/get/responses/200/content/application~1json",
        _or_company,
        "S15 op:retrieveCompany",
    ),
    # Typed values (total_amount: 99.99), as every recorded custom object instance example has them.
    (BOTH, f"{S}/custom_object_instance/properties/custom_attributes", _typed_values, "FIDELITY preamble"),
    # A plain text attribute has `input_options: null` in the recorded ticket type examples.
    (BOTH, f"{S}/ticket_type_attribute/properties/input_options", _nullable, "FIDELITY preamble"),
    # A draft's content has no URL yet: null, as the article's own `url` (documented nullable) shows.
    (BOTH, f"{S}/article_content/properties/url", _nullable, "FIDELITY §7 article; article.url nullable"),
    # A numeric ruleset id comes back as a number, as the operation's own example records it.
    (
        ("2.16",),
        f"{S}/whatsapp_message_status_list/properties/ruleset_id",
        _integer_or_string,
        "S16 op GET /messages/status example (`ruleset_id: 12345`); FIDELITY preamble",
    ),
    # The reporting export's job_identifier is declared `in: query` although the path templates it.
    (
        BOTH,
        "/paths/~1export~1reporting_data~1{job_identifier}/get/parameters",
        _in_path,
        "description defect",
    ),
    (
        BOTH,
        "/paths/~1download~1reporting_data~1{job_identifier}/get/parameters",
        _in_path,
        "description defect",
    ),
    # The WhatsApp status endpoints answer a bare {type: "error", message} 400, as their examples record.
    (
        ("2.16",),
        "/paths/~1messages~1status/get/responses/400/content/application~1json",
        _or_bare_error,
        "FIDELITY preamble (examples are the wire shape), §3",
    ),
    (
        ("2.16",),
        "/paths/~1messages~1whatsapp~1status/get/responses/400/content/application~1json",
        _or_bare_error,
        "FIDELITY preamble (examples are the wire shape), §3",
    ),
]


def corrected_description(version: str) -> dict[str, Any]:
    with open(SPEC_DIR / f"api.intercom.io.{version}.yaml") as handle:
        raw = yaml.load(handle, Loader=yaml.CSafeLoader)
    for versions, pointer, correct, _reference in SPEC_EXCEPTIONS:
        if version in versions:
            correct(raw, pointer)
    return raw


def harvest_ids(raw: dict[str, Any], version: str) -> dict[str, list[str]]:
    """Ids of the demo workspace's objects, by the collection path that lists them (`/contacts` ...)."""
    collections = {
        path
        for template in raw["paths"]
        for path in (template[: match.start()].rstrip("/") for match in re.finditer(r"\{\w+\}", template))
        if "{" not in path
    }
    transport = SyncASGITransport(APP)
    ids: dict[str, list[str]] = {}
    headers = {"Authorization": f"Bearer {TOKEN}", "Intercom-Version": version}
    with httpx.Client(base_url=BASE_URL, transport=transport, headers=headers) as client:
        for path in sorted(collections):
            if "get" not in raw["paths"].get(path, {}):
                continue
            response = client.get(path)
            if response.status_code == 200:
                ids[path] = sorted(_ids_in(response.json()))[:20]
    transport.stop()
    return {path: found for path, found in ids.items() if found}


def _ids_in(body: Any) -> set[str]:
    if isinstance(body, dict):
        return set().union(
            *(_ids_in(value) for value in body.values() if isinstance(value, (list, dict))),
            *(
                {str(item["id"]) for item in value if isinstance(item, dict) and item.get("id") is not None}
                for value in body.values()
                if isinstance(value, list)
            ),
        )
    return set()


def real_ids_hook(raw: dict[str, Any], ids: dict[str, list[str]]):
    """Half the time, each path id is one the demo workspace really has (the collection above it lists it,
    or the top-level collection of the same name: /contacts/{contact_id}/tags/{tag_id} -> /tags)."""

    def candidates(template: str, name: str) -> list[str]:
        prefix = template[: template.index("{" + name + "}")].rstrip("/")
        return ids.get(prefix) or ids.get("/" + prefix.rsplit("/", 1)[-1], [])

    def flatmap_path_parameters(context, path_parameters: dict[str, Any]):
        if not path_parameters:
            return st.just(path_parameters)
        template = context.operation.path
        choices = {name: candidates(template, name) for name in path_parameters}
        real = {
            name: st.sampled_from(found) if found else st.just(value)
            for (name, value), found in zip(path_parameters.items(), choices.values(), strict=True)
        }
        return st.one_of(st.just(path_parameters), st.fixed_dictionaries(real))

    return flatmap_path_parameters


# Fake bugs in modules other helpers own right now: these operations xfail (only when they fail) until
# fixed. Remove an entry once its owner has fixed it.
PENDING_FIXES: dict[tuple[str, str], str] = {}


@schemathesis.check
def success_status_documented(ctx, response, case) -> None:
    """A 2xx is one the description documents (201 for 200, or 200 for 204, breaks clients)."""
    documented = case.operation.responses.status_codes
    status = str(response.status_code)
    if status.startswith("2") and not {"default", "2XX", status} & set(documented):
        raise AssertionError(f"{status} is not documented (documented: {', '.join(documented)})")


@schemathesis.check
def undocumented_errors_are_error_lists(ctx, response, case) -> None:
    """A 4xx the description does not document still carries Intercom's error list (FIDELITY §3)."""
    if (
        400 <= response.status_code < 500
        and str(response.status_code) not in case.operation.responses.status_codes
    ):
        body = response.json()
        assert body.get("type") == "error.list", body
        assert body.get("errors") and all({"code", "message"} <= error.keys() for error in body["errors"]), (
            body
        )


def load(version: str):
    raw = corrected_description(version)
    config = SchemathesisConfig.from_dict(
        {
            "parameters": {"header.Intercom-Version": version},
            "generation": {"mode": "positive"},
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        }
    )
    schema = schemathesis.openapi.from_dict(raw, config=config)
    schema.app = APP
    schema.config.update(base_url=BASE_URL)
    schema.hook(real_ids_hook(raw, harvest_ids(raw, version)))
    return schema


@schemathesis.pytest.parametrize(**{f"v{v.replace('.', '')}": load(v) for v in VERSIONS})
# One failure per operation is enough to report; several would escape the pending xfail as a group.
@settings(
    max_examples=EXAMPLES,
    derandomize="OFFICIAL_SPEC_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
)
def test_fake_conforms_to_the_official_description(case) -> None:
    pending = PENDING_FIXES.get((case.operation.schema.raw_schema["info"]["version"], case.operation.label))
    try:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {TOKEN}"},
            checks=[
                not_a_server_error,
                response_schema_conformance,
                success_status_documented,
                undocumented_errors_are_error_lists,
            ],
        )
    except FailureGroup:
        if pending:
            pytest.xfail(pending)
        raise
