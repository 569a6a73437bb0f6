import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from contracts.checks import check, expect_error, parse
from contracts.checks.companies import a_company, a_contact
from contracts.models.companies import Company
from contracts.models.tags import Tag, TagList


@contextmanager
def a_tag(api: httpx.Client) -> Iterator[Tag]:
    """A throwaway tag, deleted afterwards."""
    tag = parse(Tag, api.post("/tags", json={"name": f"contract-{uuid.uuid4().hex[:12]}"}))
    try:
        yield tag
    finally:
        api.delete(f"/tags/{tag.id}")


@check(writes=True)
def tags_are_created_found_renamed_and_deleted(api: httpx.Client) -> None:
    with a_tag(api) as tag:
        assert parse(Tag, api.get(f"/tags/{tag.id}")).name == tag.name
        assert parse(Tag, api.post("/tags", json={"name": tag.name.upper()})).id == tag.id
        assert tag.id in {listed.id for listed in parse(TagList, api.get("/tags")).data}
        renamed = parse(Tag, api.post("/tags", json={"id": tag.id, "name": f"{tag.name}-renamed"}))
        assert renamed.id == tag.id and renamed.name.endswith("-renamed")
        deleted = api.delete(f"/tags/{tag.id}")
        assert deleted.status_code == 200 and deleted.content == b""
        expect_error(api.get(f"/tags/{tag.id}"), 404, "not_found")


@check(writes=True)
def invalid_tag_parameters(api: httpx.Client) -> None:
    errors = expect_error(api.post("/tags", json={"test": "invalid"}), 400, "parameter_invalid")
    assert errors.errors[0].message == "invalid tag parameters"


@check()
def unknown_tag_is_not_found(api: httpx.Client) -> None:
    expect_error(api.get("/tags/1"), 404, "not_found")


@check(writes=True)
def contacts_are_tagged_and_untagged(api: httpx.Client) -> None:
    with a_contact(api) as contact_id, a_tag(api) as tag:
        applied = parse(Tag, api.post(f"/contacts/{contact_id}/tags", json={"id": tag.id}))
        assert applied.id == tag.id and applied.applied_by is not None and applied.applied_by.type == "admin"
        removed = parse(Tag, api.delete(f"/contacts/{contact_id}/tags/{tag.id}"))
        assert removed.id == tag.id
        expect_error(api.post(f"/contacts/{contact_id}/tags", json={"id": "1"}), 404, "not_found")


@check(writes=True)
def companies_are_tagged_and_untagged(api: httpx.Client) -> None:
    with a_company(api) as company, a_tag(api) as tag:
        tagged = parse(Tag, api.post("/tags", json={"name": tag.name, "companies": [{"id": company.id}]}))
        assert tagged.id == tag.id
        assert [t.id for t in parse(Company, api.get(f"/companies/{company.id}")).tags.tags] == [tag.id]
        untag = {"name": tag.name, "companies": [{"id": company.id, "untag": True}]}
        assert parse(Tag, api.post("/tags", json=untag)).id == tag.id
        assert parse(Company, api.get(f"/companies/{company.id}")).tags.tags == []
        missing = {"name": tag.name, "companies": [{"company_id": f"missing-{uuid.uuid4().hex}"}]}
        expect_error(api.post("/tags", json=missing), 404, "company_not_found")
