"""Building records through the API and reading its errors, for tests of any resource."""

import uuid

import httpx

from fake_intercom.store import Store, Workspace


def error_of(response: httpx.Response, status: int) -> dict:
    """The first error of an `error.list` answer with `status`."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"] == "error.list"
    return body["errors"][0]


def new_contact(api: httpx.Client, email: str | None = None) -> str:
    response = api.post(
        "/contacts", json={"role": "user", "email": email or f"{uuid.uuid4().hex[:10]}@test.example"}
    )
    assert response.status_code == 200, response.text
    return response.json()["id"]


def new_company(api: httpx.Client, **fields) -> dict:
    response = api.post("/companies", json={"company_id": uuid.uuid4().hex[:12], **fields})
    assert response.status_code == 200, response.text
    return response.json()


def attach(api: httpx.Client, contact_id: str, company_id: str) -> dict:
    response = api.post(f"/contacts/{contact_id}/companies", json={"id": company_id})
    assert response.status_code == 200, response.text
    return response.json()


def domain_of(app, workspace) -> tuple[Store, Workspace]:
    """The store and workspace behind `api`, for what the API cannot create (segments, many links)."""
    store = app.state.store
    return store, store.workspace(workspace[0].id)
