"""What every route gets from the operation table: version gating before anything else."""

import httpx


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
