"""Help center articles: the paged list and an article as a reader sees it."""

from fastapi import Request
from starlette.responses import Response

from fake_intercom.inspector.access import inspector_router
from fake_intercom.inspector.api import page_number, workspace_api, workspace_page
from fake_intercom.inspector.render import segment

PER_PAGE = 25

router = inspector_router()


@router.get("/workspaces/{workspace_id}/articles")
async def list_articles(workspace_id: str, request: Request, page: str = "") -> Response:
    async with workspace_api(request, workspace_id) as api:
        number = page_number(page)
        found = await api.get("/articles", page=number, per_page=PER_PAGE)
        return workspace_page(
            request, "articles.html", api.info, nav="articles", found=found, page_number=number
        )


@router.get("/workspaces/{workspace_id}/articles/{article_id}")
async def show_article(workspace_id: str, article_id: str, request: Request) -> Response:
    async with workspace_api(request, workspace_id) as api:
        article = await api.get(f"/articles/{segment(article_id)}")
        return workspace_page(request, "article.html", api.info, nav="articles", article=article)
