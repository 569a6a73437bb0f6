import httpx

from contracts.checks import check, parse
from contracts.models.counts import AppTotalCounts, TypedCounts


@check()
def counts_are_answered(api: httpx.Client) -> None:
    totals = parse(AppTotalCounts, api.get("/counts"))
    assert totals.user.count >= 0 and totals.company.count >= 0
    conversation = parse(TypedCounts, api.get("/counts", params={"type": "conversation"})).conversation
    assert conversation is not None and {"open", "closed"} <= conversation.keys()
