"""Banners for a contact (2.16): targeting, impressions and dismissal."""

import httpx

from fake_intercom.resources.banners import banner_views, create_banner
from tests.fake.test_audiences import new_audience
from tests.fake.test_office_hours import V216, error_of
from tests.helpers.api import attach, domain_of, new_company, new_contact


def banners(api: httpx.Client, contact_id: str) -> list[dict]:
    response = api.get(f"/contacts/{contact_id}/banners", headers=V216)
    assert response.status_code == 200, response.text
    assert response.json()["type"] == "list"
    return response.json()["data"]


def test_targeting_impressions_and_dismissal(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    everyone = create_banner(store, ws, title="Hi there", body='<p class="no-margin">Hi there!</p>')
    audience = new_audience(api)
    targeted = create_banner(store, ws, title="Acme", body="<p>Acme</p>", audience_id=audience["id"])
    create_banner(store, ws, title="Draft", body="<p>Draft</p>", state="draft")
    member = new_contact(api)
    attach(api, member, new_company(api, name="Acme Analytics")["id"])
    outsider = new_contact(api)

    shown = banners(api, member)
    assert [b["id"] for b in shown] == [everyone["id"], targeted["id"]]
    first = shown[0]
    assert list(first) == [
        "type", "id", "view_id", "title", "body", "style", "position", "show_dismiss_button", "action",
        "client_targeting", "created_at",
    ]  # fmt: skip
    assert (
        first["title"] == "Hi there" and first["style"] == "inline" and first["show_dismiss_button"] is True
    )
    assert [b["id"] for b in banners(api, outsider)] == [everyone["id"]]
    # The same view is shown again, counting impressions.
    assert banners(api, member)[0]["view_id"] == first["view_id"]
    assert [v["impressions"] for v in banner_views(store, ws.id, member)] == [2, 2]

    dismissed = api.post(f"/contacts/{member}/banners/{first['view_id']}/dismiss", headers=V216)
    assert dismissed.json() == {"type": "banner_dismiss", "view_id": first["view_id"], "dismissed": True}
    again = api.post(f"/contacts/{member}/banners/{first['view_id']}/dismiss", headers=V216)
    assert again.json() == dismissed.json()
    assert [b["id"] for b in banners(api, member)] == [targeted["id"]]
    assert [b["id"] for b in banners(api, outsider)] == [everyone["id"]]


def test_errors(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    create_banner(store, ws, title="Hi", body="<p>Hi</p>")
    contact = new_contact(api)
    other = new_contact(api)
    view_id = banners(api, contact)[0]["view_id"]
    wrong_contact = api.post(f"/contacts/{other}/banners/{view_id}/dismiss", headers=V216)
    assert error_of(wrong_contact, 404) == {"code": "not_found", "message": "Resource Not Found"}
    assert (
        error_of(api.post(f"/contacts/{contact}/banners/1/dismiss", headers=V216), 404)["code"] == "not_found"
    )
    missing = api.get("/contacts/000000000000000000000000/banners", headers=V216)
    assert error_of(missing, 404) == {"code": "not_found", "message": "User Not Found"}
    assert error_of(api.get(f"/contacts/{contact}/banners"), 400)["code"] == "intercom_version_invalid"
    assert banners(api, contact)[0]["view_id"] == view_id
