"""Help centers, collections, legacy sections and 2.16 redirects."""

import httpx

V216 = {"Intercom-Version": "2.16"}


def error_of(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"] == "error.list"
    return body["errors"][0]


def new_collection(api: httpx.Client, name: str = "Billing", **extra) -> dict:
    response = api.post("/help_center/collections", json={"name": name, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_first_collection_opens_a_help_center(api: httpx.Client) -> None:
    assert api.get("/help_center/help_centers").json() == {"type": "list", "data": []}
    collection = new_collection(api, "Billing", description="Invoices and plans")
    assert "type" not in collection and collection["id"].isdigit()
    assert collection["name"] == "Billing" and collection["description"] == "Invoices and plans"
    assert collection["order"] == 1 and collection["parent_id"] is None
    # Only a translated collection has translated_content (FIDELITY §9.7, the S15 examples).
    assert "translated_content" not in collection
    centers = api.get("/help_center/help_centers").json()["data"]
    assert len(centers) == 1 and collection["help_center_id"] == int(centers[0]["id"])
    assert api.get(f"/help_center/help_centers/{centers[0]['id']}").json() == centers[0]
    assert collection["url"].startswith(centers[0]["url"])
    assert error_of(api.get("/help_center/help_centers/1"), 404)["code"] == "not_found"


def test_help_centers_page_by_offset_until_an_empty_page(api: httpx.Client) -> None:
    """The official SDKs' offset pagers ask for page+1 until a page is empty (FIDELITY §4)."""
    new_collection(api)
    assert len(api.get("/help_center/help_centers", params={"page": 1}).json()["data"]) == 1
    assert api.get("/help_center/help_centers", params={"page": 2}).json()["data"] == []


def test_collection_crud(api: httpx.Client) -> None:
    collection = new_collection(api)
    assert api.get(f"/help_center/collections/{collection['id']}").json() == collection
    updated = api.put(
        f"/help_center/collections/{collection['id']}",
        json={"name": "Billing & plans", "translated_content": {"fr": {"name": "Facturation"}}},
    ).json()
    assert (
        updated["name"] == "Billing & plans" and updated["translated_content"]["fr"]["name"] == "Facturation"
    )
    assert api.get(f"/help_center/collections/{collection['id']}").json() == updated
    gone = api.delete(f"/help_center/collections/{collection['id']}")
    assert gone.json() == {"id": collection["id"], "object": "collection", "deleted": True}
    missing = api.get(f"/help_center/collections/{collection['id']}")
    assert error_of(missing, 404) == {"code": "not_found", "message": "Resource Not Found"}
    assert error_of(api.delete(f"/help_center/collections/{collection['id']}"), 404)["code"] == "not_found"
    assert error_of(api.put("/help_center/collections/1", json={"name": "x"}), 404)["code"] == "not_found"


def test_create_errors(api: httpx.Client) -> None:
    assert error_of(api.post("/help_center/collections", json={}), 400) == {
        "code": "parameter_not_found",
        "message": "Name is a required parameter.",
    }
    assert error_of(api.post("/help_center/collections", json={"name": "x", "parent_id": "9"}), 400)
    assert error_of(api.post("/help_center/collections", json={"name": "x", "help_center_id": 9}), 404)
    assert api.get("/help_center/collections").json()["data"] == []


def test_list_newest_first_and_paged(api: httpx.Client, app, workspace) -> None:
    store = app.state.store
    ids = []
    for index in range(3):
        store.update_workspace(store.workspace(workspace[0].id), clock_offset=index)
        ids.append(new_collection(api, f"C{index}")["id"])
    listed = api.get("/help_center/collections").json()
    assert [c["id"] for c in listed["data"]] == ids[::-1] and listed["total_count"] == 3
    assert listed["pages"]["per_page"] == 20 and listed["pages"]["next"] is None
    first = api.get("/help_center/collections", params={"per_page": 2}).json()
    assert len(first["data"]) == 2 and "page=2" in first["pages"]["next"]
    past = api.get("/help_center/collections", params={"per_page": 2, "page": 5}).json()
    assert past["data"] == [] and past["total_count"] == 3
    assert error_of(api.get("/help_center/collections", params={"per_page": 251}), 400)


def test_sub_collections_and_legacy_sections(api: httpx.Client) -> None:
    parent = new_collection(api, "Account")
    child = new_collection(api, "Login", parent_id=parent["id"])
    assert child["parent_id"] == parent["id"] and child["help_center_id"] is None
    section = api.post("/help_center/sections", json={"name": "Passwords", "parent_id": int(parent["id"])})
    assert section.status_code == 200, section.text
    section = section.json()
    assert section["type"] == "section" and section["parent_id"] == int(parent["id"])
    assert section["name"] == "Passwords"
    sections = api.get("/help_center/sections").json()
    assert {s["id"] for s in sections["data"]} == {child["id"], section["id"]}
    assert all(s["type"] == "section" for s in sections["data"]) and sections["total_count"] == 2
    collections = api.get("/help_center/collections").json()["data"]
    assert section["id"] in {c["id"] for c in collections}
    assert (
        error_of(api.post("/help_center/sections", json={"name": "x"}), 400)["code"] == "parameter_not_found"
    )
    assert error_of(api.post("/help_center/sections", json={"parent_id": parent["id"]}), 400)
    # Deleting a collection deletes its sub-collections.
    api.delete(f"/help_center/collections/{parent['id']}")
    assert api.get("/help_center/sections").json()["data"] == []


def test_redirects(api: httpx.Client) -> None:
    collection = new_collection(api)
    center = api.get("/help_center/help_centers").json()["data"][0]
    base = f"/help_center/help_centers/{center['id']}/redirects"
    assert error_of(api.get(base), 400)["code"] == "intercom_version_invalid"
    body = {
        "from_url": f"{center['url']}/old-page",
        "target_type": "collection",
        "target_id": collection["id"],
    }
    created = api.post(base, json=body, headers=V216)
    assert created.status_code == 200, created.text
    redirect = created.json()
    assert redirect["type"] == "help_center_redirect" and redirect["help_center_id"] == center["id"]
    assert redirect["locale"] == "en" and redirect["target_id"] == collection["id"]
    assert api.get(f"{base}/{redirect['id']}", headers=V216).json() == redirect
    listed = api.get(base, headers=V216).json()
    assert listed["data"] == [redirect] and listed["total_count"] == 1 and listed["pages"]["per_page"] == 50
    assert error_of(api.post(base, json=body, headers=V216), 409)["code"] == "resource_conflict"
    outside = {**body, "from_url": "https://elsewhere.test/page"}
    assert error_of(api.post(base, json=outside, headers=V216), 422)["code"] == "data_invalid"
    assert error_of(api.post(base, json={**body, "target_type": "x"}, headers=V216), 400)
    assert error_of(api.post(base, json={"target_type": "article"}, headers=V216), 400) == {
        "code": "parameter_not_found",
        "message": "from_url is required",
        "field": "from_url",
    }
    unknown_target = {
        **body,
        "from_url": f"{center['url']}/other",
        "target_type": "article",
        "target_id": "1",
    }
    assert error_of(api.post(base, json=unknown_target, headers=V216), 404)["code"] == "not_found"
    gone = api.delete(f"{base}/{redirect['id']}", headers=V216).json()
    assert gone == {"id": redirect["id"], "object": "help_center_redirect", "deleted": True}
    assert error_of(api.get(f"{base}/{redirect['id']}", headers=V216), 404)["code"] == "not_found"
    assert error_of(api.get("/help_center/help_centers/999/redirects", headers=V216), 404)


def test_a_collection_without_description_has_an_empty_one(api: httpx.Client) -> None:
    created = api.post(
        "/help_center/collections",
        json={"name": "Billing", "translated_content": {"fr": {"name": "Facturation"}}},
    ).json()
    assert created["description"] == ""
    assert created["translated_content"]["en"]["description"] == ""
    assert created["translated_content"]["fr"]["description"] == ""
    updated = api.put(f"/help_center/collections/{created['id']}", json={"description": None}).json()
    assert updated["description"] == "" and updated["translated_content"]["en"]["description"] == ""
    german = {"translated_content": {"de": {"description": "Rechnungen"}}}
    updated = api.put(f"/help_center/collections/{created['id']}", json=german).json()
    assert updated["translated_content"]["de"] == {
        "type": "group_content",
        "name": "",
        "description": "Rechnungen",
    }
