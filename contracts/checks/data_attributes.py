import uuid

import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.data_attributes import DataAttribute, DataAttributeList


@check()
def builtin_attributes_are_listed_per_model(api: httpx.Client) -> None:
    for model, builtin in (("contact", "email"), ("company", "company_id")):
        listed = parse(DataAttributeList, api.get("/data_attributes", params={"model": model}))
        assert {attribute.model for attribute in listed.data} == {model}
        found = [attribute for attribute in listed.data if attribute.full_name == builtin]
        assert found and found[0].custom is False and found[0].id is None, f"{model}.{builtin}"
        assert all(isinstance(attribute.id, int) for attribute in listed.data if attribute.custom)


@check(writes=True)
def custom_attribute_is_created_updated_and_archived(api: httpx.Client) -> None:
    name = f"contract check {uuid.uuid4().hex[:8]}"
    created = parse(
        DataAttribute,
        api.post("/data_attributes", json={"name": name, "model": "contact", "data_type": "string"}),
    )
    try:
        assert isinstance(created.id, int) and created.custom and not created.archived
        assert created.full_name == f"custom_attributes.{name}" and created.data_type == "string"
        collision = expect_error(
            api.post("/data_attributes", json={"name": name, "model": "company", "data_type": "integer"}),
            400,
            "parameter_invalid",
        )
        assert name in collision.errors[0].message
        updated = parse(
            DataAttribute,
            api.put(f"/data_attributes/{created.id}", json={"description": "Made by a contract check"}),
        )
        assert updated.description == "Made by a contract check" and updated.id == created.id
    finally:
        # Custom attributes cannot be deleted, only archived.
        archived = parse(DataAttribute, api.put(f"/data_attributes/{created.id}", json={"archived": True}))
        assert archived.archived
    listed = parse(DataAttributeList, api.get("/data_attributes", params={"model": "contact"}))
    assert created.id not in {attribute.id for attribute in listed.data}
    with_archived = api.get("/data_attributes", params={"model": "contact", "include_archived": "true"})
    assert created.id in {attribute.id for attribute in parse(DataAttributeList, with_archived).data}


@check(writes=True)
def invalid_custom_attributes_are_refused(api: httpx.Client) -> None:
    for body in (
        {"name": "!nv@l!d n@me", "model": "contact", "data_type": "string"},
        {"name": "contract check type", "model": "contact", "data_type": "mithril"},
        {"name": "contract check model", "model": "ticket", "data_type": "string"},
        {"name": "email", "model": "contact", "data_type": "string"},
    ):
        expect_error(api.post("/data_attributes", json=body), 400, "parameter_invalid")


@check(writes=True)
def updating_an_unknown_attribute_is_field_not_found(api: httpx.Client) -> None:
    expect_error(api.put("/data_attributes/999999999", json={"description": "x"}), 404, "field_not_found")
