"""Internal articles: CRUD, search and 2.16 tags."""

import httpx

from tests.fake.test_help_center import V216, error_of


def new_internal(api: httpx.Client, workspace, title: str = "Refund SOP", **extra) -> dict:
    admin = int(workspace[0].owner_admin_id)
    body = {"title": title, "body": "Refund within 30 days.", "author_id": admin, "owner_id": admin, **extra}
    response = api.post("/internal_articles", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_crud(api: httpx.Client, workspace, app) -> None:
    article = new_internal(api, workspace)
    assert article["type"] == "internal_article" and article["id"].isdigit() and article["locale"] == "en"
    assert (
        article["owner_id"] == int(workspace[0].owner_admin_id)
        and article["body"] == "Refund within 30 days."
    )
    assert api.get(f"/internal_articles/{article['id']}").json() == article
    store = app.state.store
    store.update_workspace(store.workspace(workspace[0].id), clock_offset=3)
    updated = api.put(f"/internal_articles/{article['id']}", json={"title": "Refunds"}).json()
    assert updated["title"] == "Refunds" and updated["updated_at"] == article["updated_at"] + 3
    assert api.get(f"/internal_articles/{article['id']}").json() == updated
    gone = api.delete(f"/internal_articles/{article['id']}").json()
    assert gone == {"id": article["id"], "object": "internal_article", "deleted": True}
    for response in (
        api.get(f"/internal_articles/{article['id']}"),
        api.put(f"/internal_articles/{article['id']}", json={"title": "x"}),
        api.delete(f"/internal_articles/{article['id']}"),
    ):
        assert error_of(response, 404) == {"code": "not_found", "message": "Resource Not Found"}


def test_create_errors(api: httpx.Client, workspace) -> None:
    no_author = api.post("/internal_articles", json={"title": "x", "body": "y"})
    assert error_of(no_author, 400)["message"] == (
        "author_id must be in the main body or default locale translated_content object"
    )
    admin = int(workspace[0].owner_admin_id)
    no_owner = api.post("/internal_articles", json={"title": "x", "author_id": admin})
    assert error_of(no_owner, 400)["code"] == "parameter_not_found"
    unknown = api.post("/internal_articles", json={"title": "x", "author_id": 1, "owner_id": admin})
    assert error_of(unknown, 400)["code"] == "parameter_invalid"
    assert api.get("/internal_articles").json()["total_count"] == 0


def test_list_and_search(api: httpx.Client, workspace) -> None:
    refunds = new_internal(api, workspace, folder_id=7)
    escalation = new_internal(api, workspace, "Escalation path", body="Page the on-call engineer.")
    listed = api.get("/internal_articles").json()
    assert listed["total_count"] == 2 and listed["pages"]["per_page"] == 25
    assert {a["id"] for a in listed["data"]} == {refunds["id"], escalation["id"]}
    found = api.get("/internal_articles/search", params={"folder_id": "7"}).json()
    assert found["type"] == "list" and found["data"]["internal_articles"] == [refunds]
    assert found["pages"]["per_page"] == 10 and found["total_count"] == 1
    by_phrase = api.get("/internal_articles/search", params={"phrase": "on-call"}).json()
    assert by_phrase["data"]["internal_articles"] == [escalation]
    everything = api.get("/internal_articles/search").json()
    assert everything["total_count"] == 2


def test_tags(api: httpx.Client, workspace) -> None:
    article = new_internal(api, workspace)
    tag = api.post("/tags", json={"name": "Policy"}).json()
    path = f"/internal_articles/{article['id']}/tags"
    assert error_of(api.post(path, json={"id": tag["id"]}), 400)["code"] == "intercom_version_invalid"
    applied = api.post(path, json={"id": tag["id"]}, headers=V216).json()
    assert applied["name"] == "Policy" and applied["applied_by"]["type"] == "admin"
    removed = api.delete(f"{path}/{tag['id']}", headers=V216).json()
    assert removed["applied_at"] is None and removed["applied_by"] is None
    missing = api.post("/internal_articles/1/tags", json={"id": tag["id"]}, headers=V216)
    assert error_of(missing, 404) == {
        "code": "internal_article_not_found",
        "message": "Internal article not found",
    }
    assert error_of(api.delete(f"{path}/1", headers=V216), 404)["code"] == "tag_not_found"
