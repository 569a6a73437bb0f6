from urllib.parse import quote

from tests.inspector.conftest import BASE_URL, TOKEN, assert_page


def test_home_leads_to_the_workspaces(inspected) -> None:
    response = inspected.ui.get("/_sandbox/ui")
    assert response.status_code == 303
    assert response.headers["location"] == "/_sandbox/ui/workspaces"


def test_the_workspaces_with_their_tokens(inspected) -> None:
    html = assert_page(inspected.ui.get("/_sandbox/ui/workspaces"), "Sandbox Workspace", TOKEN)
    assert f'data-copy="{TOKEN}"' in html
    assert 'action="/_sandbox/workspaces"' in html


def test_a_workspace_shows_its_counts_clock_and_snapshots(inspected) -> None:
    html = assert_page(
        inspected.page(), "What it holds", "users", "open conversations", "Workspace time", "the seed"
    )
    assert f"/_sandbox/workspaces/{inspected.workspace_id}/reset" in html
    assert f"/_sandbox/workspaces/{inspected.workspace_id}/clock/freeze" in html
    assert f"/_sandbox/workspaces/{inspected.workspace_id}/snapshots" in html


def test_an_unknown_workspace_is_a_404_page(inspected) -> None:
    assert_page(inspected.ui.get("/_sandbox/ui/workspaces/nosuchws"), "Workspace Not Found", status=404)


def test_a_workspace_without_tokens_says_how_to_browse_it(inspected) -> None:
    created = inspected.ui.post(
        "/_sandbox/workspaces", json={"name": "Tokenless", "token": "tokenless-token"}
    ).json()
    assert inspected.ui.delete("/_sandbox/tokens/tokenless-token").status_code == 204
    assert_page(inspected.ui.get(f"/_sandbox/ui/workspaces/{created['id']}"), "Add a token")
    assert_page(
        inspected.ui.get(f"/_sandbox/ui/workspaces/{created['id']}/contacts"), "no access token", status=409
    )
    inspected.ui.delete(f"/_sandbox/workspaces/{created['id']}")


def test_snapshot_buttons_encode_the_name(inspected) -> None:
    """A name with `/` and other reserved characters still restores and deletes from its buttons."""
    name = "nightly/2026-01 #1?&x=<y>"
    control = f"/_sandbox/workspaces/{inspected.workspace_id}"
    assert inspected.ui.post(f"{control}/snapshots", json={"name": name}).status_code == 201
    html = assert_page(inspected.page(), "nightly/2026-01 #1?&amp;x=&lt;y&gt;")
    encoded = quote(name, safe="")
    restore, delete = f"{control}/snapshots/{encoded}/restore", f"{control}/snapshots/{encoded}"
    assert f'data-call="{restore}"' in html and f'data-call="{delete}" data-method="DELETE"' in html
    same_origin = {"Origin": BASE_URL}
    assert inspected.ui.post(restore, headers=same_origin).status_code == 200
    assert inspected.ui.delete(delete, headers=same_origin).status_code == 204
    assert name not in [
        snapshot["name"] for snapshot in inspected.ui.get(f"{control}/snapshots").json()["data"]
    ]


def test_links_encode_every_path_segment(inspected) -> None:
    """A `#`, `?` or `/` in an id the page was asked for is part of that id, not of the URL the page reads."""
    contact = inspected.api.post("/contacts", json={"email": "segments@inspect.example"}).json()
    for suffix in ("%23fragment", "%3Fper_page=1"):
        assert_page(inspected.page(f"/contacts/{contact['id']}{suffix}"), status=404)
    assert_page(inspected.page(f"/contacts/{contact['id']}"), "segments@inspect.example")
