import httpx

from contracts.checks import check, expect_error


@check()
def unknown_workflow_is_not_found(api: httpx.Client) -> None:
    expect_error(api.get("/export/workflows/999999999"), 404, "not_found")
