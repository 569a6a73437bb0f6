import uuid

import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.common import DeletedObject
from contracts.models.data_connectors import DataConnectorDetail, DataConnectorList, ExecutionResultList

V216 = {"Intercom-Version": "2.16"}


@check(writes=True)
def data_connectors_are_created_in_draft_and_deleted(api: httpx.Client) -> None:
    body = {"name": f"Contract connector {uuid.uuid4().hex[:8]}", "http_method": "get"}
    connector = parse(DataConnectorDetail, api.post("/data_connectors", json=body, headers=V216), 201)
    assert connector.state == "draft"
    fetched = parse(
        DataConnectorDetail, api.get(f"/data_connectors/{connector.id}?state_version=draft", headers=V216)
    )
    assert fetched.name == connector.name
    parse(DataConnectorList, api.get("/data_connectors", headers=V216))
    parse(ExecutionResultList, api.get(f"/data_connectors/{connector.id}/execution_results", headers=V216))
    assert parse(DeletedObject, api.delete(f"/data_connectors/{connector.id}", headers=V216)).deleted
    expect_error(api.get(f"/data_connectors/{connector.id}", headers=V216), 404, "data_connector_not_found")
