"""What every route gets from the operation table: version gating before anything else."""

import httpx
import pytest

from fake_intercom import Settings, create_app
from fake_intercom.testing import SyncASGITransport


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


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/contacts", b'{"role": "user", "email": "s1@example.com", "name": "\\ud800"}'),
        ("/contacts", b'{"role": "user", "email": "s2@example.com", "custom_attributes": {"\\ud800": 1}}'),
        ("/tags", b'{"name": "\\udc00 lone low"}'),
        ("/contacts", b'{"role": "user", "email": "s3@example.com", "name": "\xed\xa0\x80"}'),
    ],
)
def test_a_lone_surrogate_is_the_clients_400(api: httpx.Client, path: str, body: bytes) -> None:
    response = api.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parameter_invalid"
    assert api.get("/contacts").json()["total_count"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "user", "email": "long@example.com", "name": "n" * 256}, "name"),
        (
            {"role": "user", "email": "k@example.com", "custom_attributes": {"k" * 256: 1}},
            "custom_attributes key",
        ),
        (
            {
                "role": "user",
                "email": "v@example.com",
                "custom_attributes": {"notes": "v" * (256 * 1024 + 1)},
            },
            "custom_attributes.notes",
        ),
    ],
)
def test_text_beyond_the_caps_is_400_naming_the_field(api: httpx.Client, body: dict, field: str) -> None:
    response = api.post("/contacts", json=body)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["field"]) == ("parameter_invalid", field)
    assert api.get("/contacts").json()["total_count"] == 0


def test_nan_and_infinity_are_not_json(api: httpx.Client) -> None:
    for literal in (b"NaN", b"Infinity", b"-Infinity"):
        body = b'{"role": "user", "email": "n@example.com", "custom_attributes": {"x": ' + literal + b"}}"
        response = api.post("/contacts", content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400
    assert api.get("/contacts").json()["total_count"] == 0


@pytest.fixture
def file_app(tmp_path):
    app = create_app(Settings(db=str(tmp_path / "fake.db"), token="disk", seed="none"))
    with httpx.Client(
        base_url="http://t", transport=SyncASGITransport(app), headers={"Authorization": "Bearer disk"}
    ) as client:
        yield app, client
    app.state.store.close()


def test_a_full_disk_is_a_503_and_the_next_write_works(file_app) -> None:
    app, client = file_app
    store = app.state.store
    pages = store.scalar("PRAGMA page_count")
    store.execute(f"PRAGMA max_page_count = {pages}")
    bodies = [{"role": "user", "email": f"full{i}@example.com", "name": "x" * 200} for i in range(200)]
    answers = [client.post("/contacts", json=body) for body in bodies]
    full = [answer for answer in answers if answer.status_code != 200]
    assert full, "the database never filled up"
    assert {answer.status_code for answer in full} == {503}
    error = full[0].json()["errors"][0]
    assert error["code"] == "service_unavailable" and "disk is full" in error["message"]
    stored = client.get("/contacts", params={"per_page": 150}).json()["total_count"]
    assert stored == len(answers) - len(full)  # nothing half-written
    store.execute("PRAGMA max_page_count = 1073741823")
    assert client.post("/contacts", json={"role": "user", "email": "after@example.com"}).status_code == 200


def test_a_read_only_database_is_a_503(file_app) -> None:
    app, client = file_app
    app.state.store.execute("PRAGMA query_only = ON")
    response = client.post("/contacts", json={"role": "user", "email": "ro@example.com"})
    assert response.status_code == 503
    assert "read-only" in response.json()["errors"][0]["message"]
    assert client.get("/me").status_code == 200
    app.state.store.execute("PRAGMA query_only = OFF")
    assert client.post("/contacts", json={"role": "user", "email": "rw@example.com"}).status_code == 200
