import uuid

import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.common import DeletedObject
from contracts.models.help_center import Collection, CollectionList, HelpCenter, HelpCenterList

V216 = {"Intercom-Version": "2.16"}


@check(writes=True)
def collections_are_created_found_updated_and_deleted(api: httpx.Client) -> None:
    name = f"Contract collection {uuid.uuid4().hex[:8]}"
    collection = parse(Collection, api.post("/help_center/collections", json={"name": name}))
    try:
        assert collection.name == name and "type" not in collection.model_dump()
        assert parse(Collection, api.get(f"/help_center/collections/{collection.id}")).name == name
        renamed = parse(
            Collection, api.put(f"/help_center/collections/{collection.id}", json={"name": f"{name}!"})
        )
        assert renamed.name == f"{name}!"
        listed = parse(CollectionList, api.get("/help_center/collections", params={"per_page": 250}))
        assert collection.id in {c.id for c in listed.data}
        centers = parse(HelpCenterList, api.get("/help_center/help_centers"))
        assert centers.data, "a collection lives in a help center"
        assert (
            parse(HelpCenter, api.get(f"/help_center/help_centers/{centers.data[0].id}")).id
            == centers.data[0].id
        )
    finally:
        gone = parse(DeletedObject, api.delete(f"/help_center/collections/{collection.id}"))
    assert gone.object == "collection" and gone.deleted
    expect_error(api.get(f"/help_center/collections/{collection.id}"), 404, "not_found")


@check(writes=True)
def collection_errors(api: httpx.Client) -> None:
    expect_error(api.post("/help_center/collections", json={}), 400, "parameter_not_found")
    expect_error(api.get("/help_center/collections/1"), 404, "not_found")
    expect_error(api.get("/help_center/help_centers/1/redirects"), 400, "intercom_version_invalid")
