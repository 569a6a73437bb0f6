"""The legacy DELETE /visitors/{id}."""

import httpx

from fake_intercom.resources.visitors import create_visitor
from tests.fake.test_companies import domain_of, error_of


def test_delete_visitor(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    visitor = create_visitor(store, ws, {"name": "Anon"})
    deleted = api.delete(f"/visitors/{visitor['id']}").json()
    assert deleted == {"type": "visitor", "id": visitor["id"], "user_id": visitor["user_id"]}
    gone = {"code": "not_found", "message": "Visitor Not Found"}
    assert error_of(api.get("/visitors", params={"user_id": visitor["user_id"]}), 404) == gone
    assert error_of(api.delete(f"/visitors/{visitor['id']}"), 404) == gone
