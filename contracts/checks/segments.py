import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.segments import Segment, SegmentList


@check()
def segments_are_listed_and_found(api: httpx.Client) -> None:
    listed = parse(SegmentList, api.get("/segments", params={"include_count": "true"}))
    assert all(segment.count is not None for segment in listed.segments)
    for segment in listed.segments[:3]:
        found = parse(Segment, api.get(f"/segments/{segment.id}"))
        assert found.name == segment.name and found.count is None


@check()
def unknown_segment_is_not_found(api: httpx.Client) -> None:
    expect_error(api.get("/segments/000000000000000000000000"), 404, "not_found")
