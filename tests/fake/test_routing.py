"""What every route gets from the operation table: version gating before anything else, and
optional request bodies where the description does not require one."""

import re

import httpx
import pytest

from contracts.operations import OPERATIONS
from contracts.versions import at_least
from tests.conftest import new_workspace


def test_an_operation_missing_from_the_version_is_refused_before_its_body_is_read(api: httpx.Client) -> None:
    # createAudience exists from 2.16; on 2.15 a wrong body must not be reported as the problem.
    response = api.post("/audiences", json={"name": 42}, headers={"Intercom-Version": "2.15"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "intercom_version_invalid"


def test_the_same_request_reaches_validation_on_a_version_that_has_it(api: httpx.Client) -> None:
    response = api.post("/audiences", json={"name": 42}, headers={"Intercom-Version": "2.16"})
    assert response.status_code in (400, 422)
    assert response.json()["errors"][0]["code"] != "intercom_version_invalid"


def test_a_number_too_large_for_the_store_is_the_clients_error(api: httpx.Client) -> None:
    response = api.get("/articles", params={"page": 10**20})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parameter_invalid"


def test_a_number_too_large_for_json_is_the_clients_error_and_writes_nothing(api: httpx.Client) -> None:
    # orjson holds 64-bit integers; Intercom's own limits are far below that.
    body = {"name": "Weather", "mock_response": {"degrees": -(2**63) - 1}}
    response = api.post("/data_connectors", json=body, headers={"Intercom-Version": "2.16"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parameter_invalid"
    listed = api.get("/data_connectors", headers={"Intercom-Version": "2.16"}).json()
    assert all(connector["name"] != "Weather" for connector in listed["data"])


OPTIONAL_BODIES = sorted(op.operation_id for op in OPERATIONS.values() if op.optional_body)


@pytest.mark.parametrize("operation_id", OPTIONAL_BODIES)
def test_a_missing_optional_body_reads_as_an_empty_one(app, asgi_transport, operation_id) -> None:
    """FIDELITY §11.6: where the description does not mark the body required, none is `{}`."""
    op = OPERATIONS[operation_id]
    version = "2.16" if at_least(op.since, "2.16") else "2.15"
    _, token = new_workspace(app)
    headers = {"Authorization": f"Bearer {token}", "Intercom-Version": version}
    path = re.sub(r"\{\w+\}", "0", op.path)
    with httpx.Client(base_url="http://fake-intercom.test", transport=asgi_transport) as client:
        answers = [client.request(op.method, path, headers=headers, **body) for body in ({}, {"json": {}})]
    (none, empty) = answers
    assert none.status_code == empty.status_code, (none.text, empty.text)
    if none.status_code >= 400:
        assert none.json()["errors"][0]["code"] == empty.json()["errors"][0]["code"]


def test_real_objects_update_with_no_body(api: httpx.Client) -> None:
    contact = api.post("/contacts", json={"email": "nobody@example.com"}).json()
    assert api.put(f"/contacts/{contact['id']}").json()["id"] == contact["id"]
    attribute = api.post(
        "/data_attributes", json={"name": "tier", "model": "contact", "data_type": "string"}
    ).json()
    assert api.put(f"/data_attributes/{attribute['id']}").status_code == 200
    collection = api.post("/help_center/collections", json={"name": "Guides"}).json()
    assert api.put(f"/help_center/collections/{collection['id']}").json()["name"] == "Guides"


def test_the_fakes_openapi_says_which_bodies_are_optional(app) -> None:
    for path in app.openapi()["paths"].values():
        for operation in path.values():
            op = OPERATIONS.get(operation.get("operationId", ""))
            if op is None or "requestBody" not in operation:
                continue
            assert operation["requestBody"].get("required", False) is not op.optional_body, op.operation_id
