import httpx

from contracts.checks import check, expect_error


@check()
def unknown_data_export_is_not_found(api: httpx.Client) -> None:
    expect_error(api.get("/export/content/data/nosuchjob00000"), 404)
