"""Articles: CRUD, search, and 2.16 tags, versions and drafts."""

import httpx

from tests.fake.test_help_center import V216, error_of, new_collection


def owner(workspace) -> int:
    return int(workspace[0].owner_admin_id)


def new_article(api: httpx.Client, workspace, title: str = "Resetting your password", **extra) -> dict:
    body = {"title": title, "body": "Open Settings. Choose Reset.", "author_id": owner(workspace), **extra}
    response = api.post("/articles", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_create_and_retrieve(api: httpx.Client, workspace) -> None:
    collection = new_collection(api, "Account")
    article = new_article(api, workspace, state="published", parent_id=int(collection["id"]))
    assert article["type"] == "article" and article["id"].isdigit()
    assert article["body"] == '<p class="no-margin">Open Settings. Choose Reset.</p>'
    assert article["parent_id"] == int(collection["id"]) and article["parent_type"] == "collection"
    assert article["parent_ids"] == [int(collection["id"])]
    assert article["author_id"] == owner(workspace) and article["state"] == "published"
    assert article["statistics"]["type"] == "article_statistics"
    assert article["tags"] == {"type": "tag.list", "tags": []}
    assert article["url"].endswith(f"/en/articles/{article['id']}-resetting-your-password")
    assert article["default_locale"] == "en"
    # Only a translated article has translated_content (FIDELITY §9.7, the S15 examples).
    assert "translated_content" not in article
    assert "body_markdown" not in article
    assert api.get(f"/articles/{article['id']}").json() == article
    draft = new_article(api, workspace, "Draft")
    assert draft["state"] == "draft" and draft["url"] is None and draft["parent_id"] is None


def test_2_16_shape(api: httpx.Client, workspace) -> None:
    article = new_article(api, workspace, parent_id=new_collection(api)["id"])
    shown = api.get(f"/articles/{article['id']}", headers=V216).json()
    assert "parent_id" not in shown and "parent_type" not in shown
    assert shown["body_markdown"] == "Open Settings. Choose Reset.\n"
    assert shown["has_unpublished_changes"] is False and shown["draft_updated_at"] is None
    assert shown["ai_chatbot_availability"] is True


def test_create_errors(api: httpx.Client, workspace) -> None:
    missing_author = api.post("/articles", json={"title": "x", "body": "y", "state": "published"})
    assert error_of(missing_author, 400) == {
        "code": "parameter_not_found",
        "message": "author_id must be in the main body or default locale translated_content object",
    }
    assert (
        error_of(api.post("/articles", json={"title": "x", "author_id": 1}), 400)["code"]
        == "parameter_invalid"
    )
    assert (
        error_of(api.post("/articles", json={"author_id": owner(workspace)}), 400)["code"]
        == "parameter_not_found"
    )
    bad_state = {"title": "x", "author_id": owner(workspace), "state": "live"}
    assert error_of(api.post("/articles", json=bad_state), 400)["code"] == "parameter_invalid"
    bad_parent = {"title": "x", "author_id": owner(workspace), "parent_id": 5}
    assert error_of(api.post("/articles", json=bad_parent), 400)["code"] == "parameter_invalid"
    assert api.get("/articles").json()["data"] == []


def test_translated_content(api: httpx.Client, workspace) -> None:
    article = new_article(
        api,
        workspace,
        state="published",
        translated_content={
            "fr": {"title": "Merci", "body": "Corps", "author_id": owner(workspace), "state": "published"}
        },
    )
    french = article["translated_content"]["fr"]
    assert french["type"] == "article_content" and french["title"] == "Merci"
    assert french["body"] == '<p class="no-margin">Corps</p>' and "/fr/articles/" in french["url"]
    only_translated = api.post(
        "/articles",
        json={"translated_content": {"en": {"title": "From locale", "author_id": owner(workspace)}}},
    )
    assert only_translated.status_code == 200 and only_translated.json()["title"] == "From locale"


def test_update_delete(api: httpx.Client, workspace, app) -> None:
    store = app.state.store
    article = new_article(api, workspace)
    store.update_workspace(store.workspace(workspace[0].id), clock_offset=5)
    updated = api.put(
        f"/articles/{article['id']}", json={"title": "Christmas is here!", "state": "published"}
    )
    assert updated.status_code == 200, updated.text
    updated = updated.json()
    assert updated["title"] == "Christmas is here!" and updated["state"] == "published"
    assert updated["updated_at"] == article["updated_at"] + 5 and updated["body"] == article["body"]
    assert api.get(f"/articles/{article['id']}").json() == updated
    assert error_of(api.put("/articles/1", json={"title": "x"}), 404) == {
        "code": "not_found",
        "message": "Resource Not Found",
    }
    assert api.delete(f"/articles/{article['id']}").json() == {
        "id": article["id"],
        "object": "article",
        "deleted": True,
    }
    assert error_of(api.get(f"/articles/{article['id']}"), 404)["code"] == "not_found"
    assert error_of(api.delete(f"/articles/{article['id']}"), 404)["code"] == "not_found"


def test_list_by_updated_at_and_paged(api: httpx.Client, workspace, app) -> None:
    store = app.state.store
    ids = []
    for index in range(3):
        store.update_workspace(store.workspace(workspace[0].id), clock_offset=index)
        ids.append(new_article(api, workspace, f"A{index}")["id"])
    store.update_workspace(store.workspace(workspace[0].id), clock_offset=10)
    api.put(f"/articles/{ids[0]}", json={"body": "fresh"})
    listed = api.get("/articles").json()
    assert [a["id"] for a in listed["data"]] == [ids[0], ids[2], ids[1]]
    assert listed["total_count"] == 3 and listed["pages"]["per_page"] == 25
    assert "statistics" not in listed["data"][0]
    second = api.get("/articles", params={"per_page": 2, "page": 2}).json()
    assert [a["id"] for a in second["data"]] == [ids[1]] and second["pages"]["total_pages"] == 2
    assert api.get("/articles", params={"page": 9}).json()["data"] == []


def test_search(api: httpx.Client, workspace) -> None:
    login = new_article(
        api, workspace, "Login problems", body="If you cannot log in, reset your password.", state="published"
    )
    new_article(api, workspace, "Exporting data", body="Export your data as CSV.")
    found = api.get("/articles/search", params={"phrase": "password"}).json()
    assert found["type"] == "list" and found["total_count"] == 1
    assert [a["id"] for a in found["data"]["articles"]] == [login["id"]] and found["data"]["highlights"] == []
    assert found["pages"]["per_page"] == 10
    both = api.get("/articles/search", params={"phrase": "your"}).json()
    assert both["total_count"] == 2
    drafts = api.get("/articles/search", params={"phrase": "your", "state": "draft"}).json()
    assert [a["title"] for a in drafts["data"]["articles"]] == ["Exporting data"]
    lit = api.get("/articles/search", params={"phrase": "password", "highlight": "true"}).json()
    highlight = lit["data"]["highlights"][0]
    assert highlight["article_id"] == login["id"]
    assert {"type": "highlight", "text": "password"} in highlight["highlighted_summary"][0]
    assert api.get("/articles/search", params={"phrase": "nothing-like-it"}).json()["total_count"] == 0
    assert error_of(api.get("/articles/search", params={"state": "live"}), 400)["code"] == "parameter_invalid"
    center = api.get("/help_center/help_centers").json()["data"]
    assert center == []
    collection = new_collection(api)
    api.put(f"/articles/{login['id']}", json={"parent_id": collection["id"]})
    scoped = api.get("/articles/search", params={"help_center_id": collection["help_center_id"]}).json()
    assert [a["id"] for a in scoped["data"]["articles"]] == [login["id"]]


def test_tags_need_2_16(api: httpx.Client, workspace) -> None:
    article = new_article(api, workspace)
    tag = api.post("/tags", json={"name": "Billing"}).json()
    assert error_of(api.post(f"/articles/{article['id']}/tags", json={"id": tag["id"]}), 400)["code"] == (
        "intercom_version_invalid"
    )
    applied = api.post(f"/articles/{article['id']}/tags", json={"id": tag["id"]}, headers=V216).json()
    assert applied["id"] == tag["id"] and applied["applied_by"]["type"] == "admin"
    assert isinstance(applied["applied_at"], int)
    shown = api.get(f"/articles/{article['id']}").json()
    assert [t["id"] for t in shown["tags"]["tags"]] == [tag["id"]]
    removed = api.delete(f"/articles/{article['id']}/tags/{tag['id']}", headers=V216).json()
    assert removed == {**tag, "applied_at": None, "applied_by": None}
    assert api.get(f"/articles/{article['id']}").json()["tags"]["tags"] == []
    unknown_tag = api.post(f"/articles/{article['id']}/tags", json={"id": "1"}, headers=V216)
    assert error_of(unknown_tag, 404) == {"code": "tag_not_found", "message": "Tag not found"}
    unknown_article = api.post("/articles/1/tags", json={"id": tag["id"]}, headers=V216)
    assert error_of(unknown_article, 404) == {"code": "article_not_found", "message": "Article not found"}


def test_versions(api: httpx.Client, workspace) -> None:
    article = new_article(api, workspace, "First title")
    api.put(f"/articles/{article['id']}", json={"title": "Second title"})
    api.put(f"/articles/{article['id']}", json={"title": "Second title"})  # no change, no version
    versions = api.get(f"/articles/{article['id']}/versions", headers=V216).json()
    assert versions["total_count"] == 2
    newest, oldest = versions["data"]
    assert newest["title"] == "Second title" and oldest["title"] == "First title"
    assert newest["from_version_id"] == oldest["id"] and oldest["from_version_id"] is None
    assert newest["type"] == "article_version" and newest["created_via"] == "api" and "body" not in newest
    full = api.get(f"/articles/{article['id']}/versions/{oldest['id']}", headers=V216).json()
    assert full["body"] == article["body"] and full["body_markdown"] == "Open Settings. Choose Reset.\n"
    assert error_of(
        api.get(f"/articles/{article['id']}/versions", headers=V216, params={"locale": "xx"}), 400
    )
    assert (
        error_of(api.get(f"/articles/{article['id']}/versions/1", headers=V216), 404)["code"] == "not_found"
    )
    assert error_of(api.get("/articles/1/versions", headers=V216), 404)["code"] == "not_found"
    assert error_of(api.get(f"/articles/{article['id']}/versions"), 400)["code"] == "intercom_version_invalid"


def test_drafts(api: httpx.Client, workspace) -> None:
    unpublished = new_article(api, workspace, "Not yet live")
    staged = api.put(f"/articles/{unpublished['id']}/draft", json={"title": "x"}, headers=V216)
    assert error_of(staged, 422)["message"] == "Article must be published before a draft can be staged"
    article = new_article(api, workspace, "Live title", state="published")
    assert (
        error_of(api.get(f"/articles/{article['id']}/draft", headers=V216), 404)["message"]
        == "Object not found"
    )
    nothing = api.post(f"/articles/{article['id']}/draft/publish", headers=V216)
    assert error_of(nothing, 422)["message"] == "Article has no draft to publish"
    staged = api.put(
        f"/articles/{article['id']}/draft",
        json={"title": "Draft title", "body": "<p>New body</p>"},
        headers=V216,
    ).json()
    assert staged["title"] == "Draft title" and staged["has_unpublished_changes"] is True
    assert staged["body"] == '<p class="no-margin">New body</p>' and staged["draft_updated_at"] is not None
    live = api.get(f"/articles/{article['id']}", headers=V216).json()
    assert live["title"] == "Live title" and live["has_unpublished_changes"] is True
    assert api.get(f"/articles/{article['id']}/draft", headers=V216).json() == staged
    wrong_locale = api.post(
        f"/articles/{article['id']}/draft/publish", json={"locales": ["fr"]}, headers=V216
    )
    assert error_of(wrong_locale, 422)["code"] == "parameter_invalid"
    published = api.post(f"/articles/{article['id']}/draft/publish", headers=V216).json()
    assert published["title"] == "Draft title" and published["has_unpublished_changes"] is False
    assert published["draft_updated_at"] is None
    assert api.get(f"/articles/{article['id']}").json()["title"] == "Draft title"
    versions = api.get(f"/articles/{article['id']}/versions", headers=V216).json()
    assert [v["title"] for v in versions["data"]] == ["Draft title", "Live title"]
    assert error_of(api.get(f"/articles/{article['id']}/draft", headers=V216), 404)["code"] == "not_found"


def test_deleting_a_collection_frees_its_articles(api: httpx.Client, workspace) -> None:
    collection = new_collection(api)
    article = new_article(api, workspace, parent_id=collection["id"])
    api.delete(f"/help_center/collections/{collection['id']}")
    freed = api.get(f"/articles/{article['id']}").json()
    assert freed["parent_id"] is None and freed["parent_ids"] == []


def test_an_article_without_description_has_an_empty_one(api: httpx.Client, workspace) -> None:
    article = new_article(
        api, workspace, translated_content={"fr": {"title": "Mot de passe", "body": "Ouvrez."}}
    )
    assert article["description"] == ""
    assert {article["translated_content"][locale]["description"] for locale in ("en", "fr")} == {""}
    updated = api.put(f"/articles/{article['id']}", json={"description": "How to reset it"}).json()
    assert updated["description"] == updated["translated_content"]["en"]["description"] == "How to reset it"
