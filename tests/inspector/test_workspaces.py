from tests.inspector.conftest import TOKEN, assert_page


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
