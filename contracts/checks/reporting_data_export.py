import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.reporting_data_export import DatasetList


@check()
def reporting_datasets_are_listed(api: httpx.Client) -> None:
    datasets = parse(DatasetList, api.get("/export/reporting_data/get_datasets"))
    assert datasets.data and all(dataset.attributes for dataset in datasets.data)


@check()
def reporting_export_validates_and_finds_jobs(api: httpx.Client) -> None:
    expect_error(api.post("/export/reporting_data/enqueue", json={}), 400, "bad_request")
    body = {"dataset_id": "imaginary", "attribute_ids": ["x"], "start_time": 1, "end_time": 2}
    expect_error(api.post("/export/reporting_data/enqueue", json=body), 400, "bad_request")
    expect_error(api.get("/export/reporting_data/nosuchjob00000"), 404, "not_found")
