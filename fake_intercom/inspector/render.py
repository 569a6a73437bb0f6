"""Pages from the Jinja2 templates shipped in this package, and the filters they use.

Everything a page shows of the workspace is user data: templates escape it (autoescape), and message
bodies, which are HTML, go through `nh3`'s allow-list before they are shown as HTML.
"""

import functools
import html
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import nh3
import orjson
from fastapi import Request
from markupsafe import Markup
from starlette.responses import Response

if TYPE_CHECKING:
    from starlette.templating import Jinja2Templates

from fake_intercom.errors import IntercomError
from fake_intercom.sandbox.access import PREFIX

UI_PREFIX = f"{PREFIX}/ui"


def when(timestamp: float | str | None) -> Markup:
    """A Unix time as a `<time>` element in UTC (a time the API already wrote as text stays as it is)."""
    if timestamp is None:
        return Markup("—")
    if isinstance(timestamp, str):
        return Markup("{}").format(timestamp)
    moment = datetime.fromtimestamp(timestamp, UTC)
    return Markup('<time datetime="{}">{}</time>').format(
        moment.isoformat(timespec="seconds").replace("+00:00", "Z"), moment.strftime("%Y-%m-%d %H:%M:%S")
    )


def pretty(value: Any) -> str:
    """JSON as a client would read it, indented."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()


def body_html(value: str | None) -> Markup:
    """An Intercom message body (HTML) with only harmless markup left."""
    return Markup(nh3.clean(value or ""))


def excerpt(value: str | None, length: int = 120) -> str:
    """The text of an HTML body, shortened."""
    text = " ".join(html.unescape(nh3.clean(value or "", tags=set())).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def segment(value: object) -> str:
    """One path segment of a URL the page links to or calls: every reserved character encoded, `/`
    included (Jinja's `urlencode` keeps `/`)."""
    return quote(str(value), safe="")


def querystring(params: dict[str, Any]) -> str:
    return urlencode({key: value for key, value in params.items() if value is not None})


@functools.cache
def templates() -> "Jinja2Templates":
    """The pages' templates, with Jinja2 loaded when the first page is rendered rather than when the
    server starts: most servers never show a page, and Jinja2 was a twentieth of the start-up."""
    from jinja2 import Environment, PackageLoader, select_autoescape
    from starlette.templating import Jinja2Templates

    environment = Environment(
        loader=PackageLoader("fake_intercom.inspector", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        when=when,
        pretty=pretty,
        body_html=body_html,
        excerpt=excerpt,
        querystring=querystring,
        segment=segment,
    )
    environment.globals["ui"] = UI_PREFIX
    return Jinja2Templates(env=environment)


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> Response:
    return templates().TemplateResponse(request, template, context, status_code=status)


def error_page(request: Request, error: IntercomError) -> Response:
    return render(request, "error.html", status=error.status, error=error)
