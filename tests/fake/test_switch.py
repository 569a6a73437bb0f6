"""Switch: phone call redirects to the Messenger."""

import httpx

from fake_intercom.resources.data_attributes import create_data_attribute
from tests.helpers.api import domain_of


def test_redirect_creates_a_lead_with_the_attributes(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    create_data_attribute(store, ws, model="contact", name="issue_type", data_type="string")
    response = api.post(
        "/phone_call_redirects",
        json={"phone": "+353 83 234 5678", "custom_attributes": {"issue_type": "Billing"}},
    )
    assert response.status_code == 200, response.text
    redirect = response.json()
    assert redirect["type"] == "phone_call_redirect" and redirect["phone"] == "+353832345678"
    assert redirect["url"].startswith("http://via.intercom.io/msgr/")
    found = api.post(
        "/contacts/search", json={"query": {"field": "phone", "operator": "=", "value": "+353832345678"}}
    ).json()
    [lead] = found["data"]
    assert lead["role"] == "lead" and lead["custom_attributes"]["issue_type"] == "Billing"
    again = api.post(
        "/phone_call_redirects", json={"phone": "+353832345678", "custom_attributes": {"issue_type": "Tech"}}
    )
    assert again.json()["url"] != redirect["url"]
    contact = api.get(f"/contacts/{lead['id']}").json()
    assert contact["custom_attributes"]["issue_type"] == "Tech"
    assert store.scalar("SELECT COUNT(*) FROM phone_call_redirects WHERE workspace_id = ?", (ws.id,)) == 2


def test_invalid_number_answers_switch_error_shape(api: httpx.Client) -> None:
    for phone in ("12345", "0832345678", "+0123456789", "call me"):
        response = api.post("/phone_call_redirects", json={"phone": phone})
        assert response.status_code == 400
        assert response.json() == {"error_key": "invalid_phone_number", "message": "Invalid phone number"}
    assert (
        api.post(
            "/contacts/search", json={"query": {"field": "role", "operator": "=", "value": "lead"}}
        ).json()["total_count"]
        == 0
    )


def test_unknown_attribute_is_unprocessable(api: httpx.Client) -> None:
    response = api.post(
        "/phone_call_redirects", json={"phone": "+40241100100", "custom_attributes": {"x": 1}}
    )
    assert response.status_code == 422
    assert response.json()["error_key"] == "invalid_custom_attributes"
    assert api.post("/phone_call_redirects", json={}).status_code == 400
