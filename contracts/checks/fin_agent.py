import httpx

from contracts.checks import check, expect_error


@check()
def fin_requests_are_validated(api: httpx.Client) -> None:
    missing = api.post("/fin/start", json={"message": {"author": "user", "body": "Hi"}, "user": {"id": "1"}})
    expect_error(missing, 400, "parameter_invalid")
    unknown = api.post("/fin/csat", json={"conversation_id": "contract-unknown", "rating": "good"})
    assert unknown.status_code == 422 and "errors" in unknown.json()
