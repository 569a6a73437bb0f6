import uuid

import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.audiences import Audience, AudienceList

V216 = {"Intercom-Version": "2.16"}


@check(writes=True)
def audiences_round_trip(api: httpx.Client) -> None:
    body = {
        "name": f"Contract audience {uuid.uuid4().hex[:8]}",
        "predicates": [
            {"attribute": "email", "type": "string", "comparison": "contains", "value": "@example.com"}
        ],
        "role_predicates": [{"attribute": "role", "type": "role", "comparison": "eq", "value": "user"}],
    }
    audience = parse(Audience, api.post("/audiences", json=body, headers=V216), 201)
    try:
        assert audience.predicates[0].attribute == "email"
        renamed = parse(
            Audience, api.put(f"/audiences/{audience.id}", json={"name": "Renamed"}, headers=V216)
        )
        assert renamed.name == "Renamed" and renamed.role_predicates == audience.role_predicates
        parse(AudienceList, api.get("/audiences", headers=V216))
    finally:
        assert api.delete(f"/audiences/{audience.id}", headers=V216).status_code == 204
    expect_error(api.get(f"/audiences/{audience.id}", headers=V216), 404, "not_found")
