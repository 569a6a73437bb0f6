"""Brands: the default brand (the workspace's id) and the others, with their sender address."""

import httpx

from fake_intercom.resources.brands import create_brand
from fake_intercom.resources.emails import create_email_setting
from tests.helpers.api import domain_of, error_of


def test_every_workspace_has_its_default_brand(api: httpx.Client, workspace) -> None:
    listed = api.get("/brands").json()
    assert listed["type"] == "list"
    [default] = listed["data"]
    assert default["id"] == workspace[0].id and default["is_default"] is True
    assert default["type"] == "brand" and default["default_address_settings_id"] is None
    assert api.get(f"/brands/{workspace[0].id}").json() == default


def test_brands_listed_and_found_with_their_address(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    premium = create_brand(store, ws, "Premium Brand")
    email = create_email_setting(store, ws, "vip@premium.test", premium["id"])
    ids = [brand["id"] for brand in api.get("/brands").json()["data"]]
    assert ids == [ws.id, premium["id"]]
    found = api.get(f"/brands/{premium['id']}").json()
    assert found["name"] == "Premium Brand" and found["is_default"] is False
    assert found["default_address_settings_id"] == email["id"]


def test_unknown_brand(api: httpx.Client) -> None:
    assert error_of(api.get("/brands/nope"), 404) == {"code": "not_found", "message": "Brand not found"}


def test_a_brand_without_its_own_help_center_presents_the_workspace_one(api: httpx.Client) -> None:
    assert api.get("/brands").json()["data"][0]["help_center_id"] is None
    collection = api.post("/help_center/collections", json={"name": "Billing"}).json()
    [default] = api.get("/brands").json()["data"]
    assert default["help_center_id"] == str(collection["help_center_id"])
