import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.calls import Call, CallList, CallsWithTranscripts


@check()
def calls_are_listed_and_found(api: httpx.Client) -> None:
    calls = parse(CallList, api.get("/calls", params={"per_page": 5}))
    assert len(calls.data) <= 5 and calls.total_count >= len(calls.data)
    for call in calls.data[:2]:
        assert parse(Call, api.get(f"/calls/{call.id}")).id == call.id
    expect_error(api.get("/calls/999999999"), 404, "not_found")


@check()
def call_search_needs_one_to_twenty_conversations(api: httpx.Client) -> None:
    expect_error(
        api.post("/calls/search", json={"conversation_ids": []}), 400, "conversation_id_limit_exceeded"
    )
    ids = [str(number) for number in range(21)]
    expect_error(
        api.post("/calls/search", json={"conversation_ids": ids}), 400, "conversation_id_limit_exceeded"
    )
    parse(CallsWithTranscripts, api.post("/calls/search", json={"conversation_ids": ["999999999"]}))
