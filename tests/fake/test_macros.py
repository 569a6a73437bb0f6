"""Macros (2.16): placeholders, visibility by team, cursor pagination by updated_at."""

import httpx

from fake_intercom.resources.macros import body_html, body_text, create_macro
from fake_intercom.resources.teams import create_team
from tests.fake.test_office_hours import V216, error_of
from tests.helpers.api import domain_of

REFUND = "<p>Hi {{user.first_name | fallback: 'there'}},</p><p>Order #{{order.number}} & co.</p>"


def test_placeholders() -> None:
    assert body_html(REFUND) == (
        '<p>Hi <attribute key="user.first_name" default="there"/>,</p>'
        '<p>Order #<attribute key="order.number"/> & co.</p>'
    )
    assert body_text(REFUND) == 'Hi {{user.first_name|fallback:"there"}},\n\nOrder #{{order.number}} & co.'
    assert body_html('{{x|fallback:"<b>"}}') == '<attribute key="x" default="&lt;b&gt;"/>'


def test_get_and_list(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    macro = create_macro(store, ws, name="Refund", body=REFUND)
    got = api.get(f"/macros/{macro['id']}", headers=V216).json()
    assert got == macro and got["type"] == "macro" and got["visible_to"] == "everyone"
    assert got["created_at"].endswith(".000Z") and got["available_on"] == ["inbox", "messenger"]
    listed = api.get("/macros", headers=V216).json()
    assert listed == {
        "type": "list",
        "data": [macro],
        "pages": {"type": "pages", "per_page": 50, "next": None},
    }
    assert error_of(api.get("/macros/1", headers=V216), 404) == {
        "code": "not_found",
        "message": "Macro not found",
    }


def test_newest_update_first_with_cursor_and_updated_since(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    ids = []
    for index in range(3):
        ws = store.update_workspace(store.workspace(ws.id), clock_offset=index * 10)
        ids.append(create_macro(store, ws, name=f"M{index}", body="<p>x</p>")["id"])
    first = api.get("/macros", params={"per_page": 2}, headers=V216).json()
    assert [m["id"] for m in first["data"]] == [ids[2], ids[1]]
    cursor = first["pages"]["next"]["starting_after"]
    rest = api.get("/macros", params={"per_page": 2, "starting_after": cursor}, headers=V216).json()
    assert [m["id"] for m in rest["data"]] == [ids[0]] and rest["pages"]["next"] is None
    since = store.now(store.workspace(ws.id)) - 15
    recent = api.get("/macros", params={"updated_since": since}, headers=V216).json()
    assert [m["id"] for m in recent["data"]] == [ids[2], ids[1]]
    assert error_of(api.get("/macros", params={"per_page": 151}, headers=V216), 400)


def test_team_visibility(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    other_team = create_team(store, ws, name="Sales", admin_ids=[])
    hidden = create_macro(
        store, ws, name="Sales only", body="<p>x</p>", visible_to_team_ids=[other_team["id"]]
    )
    assert hidden["visible_to"] == "specific_teams" and hidden["visible_to_team_ids"] == [other_team["id"]]
    assert error_of(api.get(f"/macros/{hidden['id']}", headers=V216), 404)["message"] == "Macro not found"
    assert api.get("/macros", headers=V216).json()["data"] == []
    my_team = create_team(store, ws, name="Support", admin_ids=[ws.owner_admin_id])
    mine = create_macro(
        store, ws, name="Support", body="<p>y</p>", visible_to_team_ids=[my_team["id"], "999"]
    )
    assert api.get(f"/macros/{mine['id']}", headers=V216).json() == mine
    assert [m["id"] for m in api.get("/macros", headers=V216).json()["data"]] == [mine["id"]]


def test_only_in_216(api: httpx.Client) -> None:
    assert error_of(api.get("/macros"), 400)["code"] == "intercom_version_invalid"
    assert error_of(api.get("/macros/1"), 400)["code"] == "intercom_version_invalid"
