"""Companies: Intercom's paged list (`POST /companies/list`) or its lookup by name or company_id
(`GET /companies`), and a company's page."""

from typing import Any

from fastapi import Request
from starlette.responses import Response

from fake_intercom.errors import IntercomError
from fake_intercom.inspector.access import inspector_router
from fake_intercom.inspector.api import page_number, workspace_api, workspace_page
from fake_intercom.inspector.render import segment

PER_PAGE = 50
CONTACTS_PER_PAGE = 50
NOTES_PER_PAGE = 50

router = inspector_router()


@router.get("/workspaces/{workspace_id}/companies")
async def list_companies(
    workspace_id: str, request: Request, name: str = "", company_id: str = "", page: str = ""
) -> Response:
    async with workspace_api(request, workspace_id) as api:
        number = page_number(page)
        error: IntercomError | None = None
        found: dict[str, Any] = {"data": [], "total_count": 0, "pages": {}}
        lookup = {"name": name.strip() or None, "company_id": company_id.strip() or None}
        try:
            if any(lookup.values()):
                sent = {"method": "GET", "path": "/companies", "params": lookup}
                company = await api.get("/companies", **lookup)
                found = {"data": [company], "total_count": 1, "pages": {}}
            else:
                params = {"page": number, "per_page": PER_PAGE}
                sent = {"method": "POST", "path": "/companies/list", "params": params}
                found = await api.post("/companies/list", **params)
        except IntercomError as failure:
            if failure.status != 404:
                raise
            error = failure
        return workspace_page(
            request,
            "companies.html",
            api.info,
            nav="companies",
            name=name,
            company_id=company_id,
            sent=sent,
            found=found,
            page_number=number,
            error=error,
        )


@router.get("/workspaces/{workspace_id}/companies/{company_id}")
async def show_company(workspace_id: str, company_id: str, request: Request) -> Response:
    async with workspace_api(request, workspace_id) as api:
        company = await api.get(f"/companies/{segment(company_id)}")
        contacts = await api.get(f"/companies/{segment(company['id'])}/contacts", per_page=CONTACTS_PER_PAGE)
        notes = await api.get(f"/companies/{segment(company['id'])}/notes", per_page=NOTES_PER_PAGE)
        return workspace_page(
            request,
            "company.html",
            api.info,
            nav="companies",
            company=company,
            contacts=contacts,
            notes=notes["data"],
        )
