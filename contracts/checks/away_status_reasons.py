import httpx

from contracts.checks import check, parse
from contracts.models.away_status_reasons import AwayStatusReasonList


@check()
def away_status_reasons_are_listed(api: httpx.Client) -> None:
    reasons = parse(AwayStatusReasonList, api.get("/away_status_reasons"))
    assert all(reason.type == "away_status_reason" for reason in reasons.data)
