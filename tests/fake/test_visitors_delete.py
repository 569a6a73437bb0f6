"""The legacy DELETE /visitors/{id}."""

import httpx

from contracts.models.visitors import VisitorDeleted
from fake_intercom.resources.visitors import create_visitor
from tests.helpers.api import domain_of, error_of


def test_delete_visitor(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    visitor = create_visitor(store, ws, {"name": "Anon"})
    deleted = api.delete(f"/visitors/{visitor['id']}").json()
    assert deleted == {"type": "visitor", "id": visitor["id"], "user_id": visitor["user_id"]}
    assert VisitorDeleted.model_validate(deleted).id == visitor["id"]
    gone = {"code": "not_found", "message": "Visitor Not Found"}
    assert error_of(api.get("/visitors", params={"user_id": visitor["user_id"]}), 404) == gone
    assert error_of(api.delete(f"/visitors/{visitor['id']}"), 404) == gone


def test_delete_visitor_documents_its_answer(app) -> None:
    operation = app.openapi()["paths"]["/visitors/{visitor_id}"]["delete"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/VisitorDeleted"}
    properties = app.openapi()["components"]["schemas"]["VisitorDeleted"]["properties"]
    assert {"type", "id", "user_id"} <= set(properties)
