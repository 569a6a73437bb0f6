"""Routers whose routes are the operation table's entries.

`@router.operation("ShowContact")` takes method, path and summary from `contracts.operations`, so
a route cannot drift from the table. Every handler of a writing method runs in one transaction:
a request that fails leaves nothing behind.

Handlers declare `ctx: Ctx = Depends(context)`, but FastAPI is shown a request parameter instead and
the endpoint builds the context: as a dependency, `context` (a plain `def`) ran in FastAPI's threadpool,
and a thread hand-off on every request cost more than the rest of a GET.
"""

import functools
import inspect
import re
import threading
import types
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from contextvars import ContextVar
from typing import Any, TypeVar

import orjson
from fastapi import APIRouter, Body, FastAPI, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.convertors import StringConvertor
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route, compile_path, get_name

from contracts.operations import available
from contracts.operations import operation as lookup
from contracts.versions import ALL_VERSIONS
from fake_intercom.context import Ctx, context, through_api
from fake_intercom.errors import field_too_long, intercom_version_invalid, number_out_of_range
from fake_intercom.plans import refusal

# The supported FastAPI range is pinned in pyproject.toml; both ends run the tests (the lowest through
# `make lowest`), so each branch below that depends on the release is exercised.
try:
    # FastAPI 0.13x and later keep state of their own in the scope, merged by this.
    from fastapi.routing import _update_scope  # type: ignore[attr-defined]
except ImportError:  # earlier releases: a route's child scope is merged as it is

    def _update_scope(scope: MutableMapping[str, Any], child_scope: MutableMapping[str, Any]) -> None:
        scope.update(child_scope)


Handler = TypeVar("Handler", bound=Callable[..., Any])
Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]

VERSION_UNAVAILABLE = "Requested resource is not available in current API version."
NAMED_GROUP = re.compile(r"\(\?P<\w+>")


# Caps on request text, the sandbox's own where Intercom documents none (FIDELITY.md has no field
# lengths): identifying fields and object keys (custom attribute names) stay short, any other text
# stays far below the body limit, so that no stored object grows every page it is listed on.
SHORT_TEXT_FIELDS = frozenset({"name", "email", "phone", "external_id", "user_id", "company_id"})
SHORT_TEXT_LIMIT = 255
KEY_LIMIT = 255
TEXT_LIMIT = 256 * 1024


def parse_json_body(raw: bytes) -> Any:
    """A request's JSON: strict (no NaN or Infinity, no lone surrogates, nesting within orjson's
    depth limit; each a `json.JSONDecodeError`, which FastAPI reports as malformed JSON) and within
    the text caps above (an `IntercomError` naming the field)."""
    parsed = orjson.loads(raw)
    if len(raw) > SHORT_TEXT_LIMIT:  # a smaller body cannot hold anything too long
        _check_text(parsed, "")
    if LONG_DIGITS.search(raw) and _has_huge_number(parsed):
        raise number_out_of_range()
    return parsed


# orjson reads an integer beyond 64 bits as a float, which would store a number the client never sent;
# only a body with such a run of digits is searched for one.
LONG_DIGITS = re.compile(rb"\d{19}")
HUGE = 2**63


def _has_huge_number(value: Any) -> bool:
    if isinstance(value, float):
        return abs(value) >= HUGE
    if isinstance(value, dict):
        return any(_has_huge_number(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_huge_number(item) for item in value)
    return False


def _check_text(value: Any, path: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if len(key) > KEY_LIMIT:
                raise field_too_long(f"{path or 'body'} key", KEY_LIMIT)
            if isinstance(item, str):
                limit = SHORT_TEXT_LIMIT if key in SHORT_TEXT_FIELDS else TEXT_LIMIT
                if len(item) > limit:
                    raise field_too_long(where, limit)
            elif isinstance(item, (dict, list)):
                _check_text(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if isinstance(item, str) and len(item) > TEXT_LIMIT:
                raise field_too_long(where, TEXT_LIMIT)
            if isinstance(item, (dict, list)):
                _check_text(item, where)


class LazyRoute(APIRoute):
    """An `APIRoute` that FastAPI builds on first use rather than when it is declared.

    Building a route (its dependant, a pydantic adapter for every parameter, its body and its response)
    was most of the time `fake-intercom serve` took to answer its first request, and most of a test
    session's first `create_app`: two hundred routes, of which a session uses a few. What matching a
    request needs (path, methods, name, operation id) is set at once; reading anything else FastAPI's
    constructor sets (handling a request, the OpenAPI document, including the route elsewhere) runs that
    constructor first. A route FastAPI would refuse is refused then, not at import: the OpenAPI document
    builds them all, and the suite builds it.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        self._deferred = (path, endpoint, options)
        self.path = path
        self.endpoint = endpoint
        # As FastAPI's constructor sets them, which replaces them with its own when it runs.
        name, methods = options.get("name"), options.get("methods")
        self.name = get_name(endpoint) if name is None else name
        self.operation_id = options.get("operation_id")
        self.include_in_schema = options.get("include_in_schema", True)
        self.methods = {method.upper() for method in (["GET"] if methods is None else methods)}
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)

    def __getattr__(self, name: str) -> Any:
        # Reached only for attributes not set yet: those FastAPI's constructor sets build the route,
        # once, though an in-process server's thread and a test's may both ask first.
        if name in _built_route_attributes():
            with _BUILDING:
                deferred = self.__dict__.pop("_deferred", None)
                if deferred is not None:
                    path, endpoint, options = deferred
                    super().__init__(path, endpoint, **options)
            if name in self.__dict__:
                return self.__dict__[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


_BUILDING = threading.RLock()


@functools.cache
def _built_route_attributes() -> frozenset[str]:
    """The attributes FastAPI's `APIRoute` constructor sets, in the release installed."""

    async def probe() -> None:
        return None

    return frozenset(vars(APIRoute("/", probe)))


class JSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse_json_body(await self.body())
        return self._json


class JSONRoute(LazyRoute):
    """A route whose JSON body is read by `parse_json_body` rather than Python's lenient `json`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler

        async def json_handler(request: Request) -> Response:
            return await handler(JSONRequest(request.scope, request.receive))

        return json_handler


class IntercomRoute(JSONRoute):
    """A route of the operation table.

    It answers a request for an Intercom-Version lacking its operation before FastAPI reads anything:
    a wrong body, path or query is not reported when the operation does not exist at all.

    When the handler's only inputs are string path parameters (a GET or DELETE by id), it is called
    directly: FastAPI's parameter solving, which cannot fail for such a route, cost as much as the rest
    of the framework on such a request. Should that handler return something other than a `Response`,
    FastAPI's own handler serialises it (the result is handed to it rather than computed again).
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        versions: frozenset[str] | None = getattr(self.endpoint, "intercom_versions", None)
        if versions is None:
            return handler
        operation_ids: frozenset[str] = self.endpoint.intercom_operation_ids  # type: ignore[attr-defined]
        direct = self._direct_call()

        async def versioned_handler(request: Request) -> Response:
            scope = request.scope
            if scope["state"]["version"] not in versions:
                raise intercom_version_invalid(VERSION_UNAVAILABLE)
            refused = refusal(scope["state"]["workspace"].plan, operation_ids)
            if refused is not None:
                raise refused
            if direct is None:
                return await handler(request)
            result = await self.endpoint(**scope.get("path_params", {}), **{direct: request})
            if isinstance(result, Response):
                return result
            token = _REPLAY.set(result)
            try:
                return await handler(request)
            finally:
                _REPLAY.reset(token)

        return versioned_handler

    def _direct_call(self) -> str | None:
        """The name of the request parameter when the endpoint can be called with the path parameters
        and the request alone, or None."""
        request_name: str | None = getattr(self.endpoint, "intercom_request_parameter", None)
        dependant = self.dependant
        if (
            request_name is None
            or dependant.request_param_name != request_name
            or self.body_field is not None
            or dependant.dependencies
            or dependant.query_params
            or dependant.header_params
            or dependant.cookie_params
            or dependant.body_params
        ):
            return None
        for parameter in inspect.signature(self.endpoint).parameters.values():
            if parameter.name == request_name:
                continue
            convertor = self.param_convertors.get(parameter.name)
            if (
                not isinstance(convertor, StringConvertor)
                or parameter.annotation is not str
                or parameter.default is not inspect.Parameter.empty
            ):
                return None
        return request_name


# A result FastAPI's handler is to serialise as the endpoint's, the endpoint having run already.
_REPLAY: ContextVar[Any] = ContextVar("fake_intercom_replay")
_NOTHING = object()


class IntercomRouter(APIRouter):
    def __init__(self, **options: Any) -> None:
        options.setdefault("route_class", IntercomRoute)
        super().__init__(**options)

    def operation(
        self, operation_id: str, *same_route: str, **route_options: Any
    ) -> Callable[[Handler], Handler]:
        """Serve one operation; `same_route` names the operations of other versions that share its
        method and path (2.16 renamed a few), so one handler answers them all."""
        op = lookup(operation_id)
        operations = [op, *(lookup(other) for other in same_route)]
        if any((other.method, other.path) != (op.method, op.path) for other in operations):
            raise ValueError(f"{operation_id}: {same_route} are not on the same route")
        versions = frozenset(
            version for version in ALL_VERSIONS if any(available(each, version) for each in operations)
        )

        def register(handler: Handler) -> Handler:
            if not inspect.iscoroutinefunction(handler):
                raise TypeError(f"{handler.__name__}: Intercom routes are async def")
            writes = op.method != "GET"
            signature, ctx_name, request_name, added = _without_context(handler)
            optional_body = None
            if any(each.optional_body for each in operations):
                signature, optional_body = _with_optional_body(signature)

            @functools.wraps(handler)
            async def endpoint(**kwargs: Any) -> Any:
                replayed = _REPLAY.get(_NOTHING)
                if replayed is not _NOTHING:
                    _REPLAY.set(_NOTHING)
                    return replayed
                if ctx_name is not None:
                    request = kwargs.pop(request_name) if added else kwargs[request_name]
                    ctx = kwargs[ctx_name] = context(request)
                else:
                    ctx = next(value for value in kwargs.values() if isinstance(value, Ctx))
                if optional_body is not None and kwargs[optional_body[0]] is None:
                    kwargs[optional_body[0]] = _empty_body(optional_body[1])
                if not writes:
                    return await handler(**kwargs)
                # The handler awaits nothing while it holds the transaction (see store.py).
                with ctx.store.atomic(), through_api():
                    return await handler(**kwargs)

            endpoint.__signature__ = signature  # type: ignore[attr-defined]
            endpoint.intercom_versions = versions  # type: ignore[attr-defined]
            endpoint.intercom_operation_ids = frozenset(each.operation_id for each in operations)  # type: ignore[attr-defined]
            endpoint.intercom_request_parameter = request_name if ctx_name else None  # type: ignore[attr-defined]
            options: dict[str, Any] = {"summary": op.summary, "response_model_exclude_none": True}
            options.update(route_options)
            self.add_api_route(
                op.path,
                endpoint,
                methods=[op.method],
                operation_id=op.operation_id,
                **options,
            )
            return handler

        return register


REQUEST_PARAMETER = "_intercom_request"


def _without_context(handler: Callable[..., Any]) -> tuple[inspect.Signature, str | None, str, bool]:
    """The signature FastAPI is shown for `handler`: its `ctx: Ctx = Depends(context)` parameter gives
    way to the request (its own `Request` parameter, or one added), from which the endpoint builds the
    context itself. A dependency costs FastAPI a second round of parameter solving on every request.
    Returns (signature, the context parameter's name or None, the request parameter's name, added)."""
    signature = inspect.signature(handler)
    ctx_name = next(
        (
            parameter.name
            for parameter in signature.parameters.values()
            if isinstance(parameter.default, params.Depends) and parameter.default.dependency is context
        ),
        None,
    )
    if ctx_name is None:
        return signature, None, REQUEST_PARAMETER, False
    parameters = [parameter for parameter in signature.parameters.values() if parameter.name != ctx_name]
    request_name = next(
        (parameter.name for parameter in parameters if parameter.annotation is Request), REQUEST_PARAMETER
    )
    added = request_name == REQUEST_PARAMETER
    if added:
        if REQUEST_PARAMETER in signature.parameters:
            raise TypeError(f"{handler.__name__}: {REQUEST_PARAMETER} is a reserved parameter name")
        parameters.append(
            inspect.Parameter(REQUEST_PARAMETER, inspect.Parameter.KEYWORD_ONLY, annotation=Request)
        )
    return signature.replace(parameters=parameters), ctx_name, request_name, added


def _with_optional_body(
    signature: inspect.Signature,
) -> tuple[inspect.Signature, tuple[str, type[BaseModel]] | None]:
    """The signature with its request body made optional, and the body's (parameter, model).

    Where the description does not mark an operation's body required, clients send none (the
    official Node SDK's `PUT /data_attributes/{id}` with only path parameters, FIDELITY §11.6): a
    missing body then reads as `{}`, and the fake's own OpenAPI says the body is optional.
    """
    for parameter in signature.parameters.values():
        model = _model_of(parameter.annotation)
        if model is None:
            continue
        optional = parameter.replace(annotation=model | None, default=Body(None))
        # Keyword-only, as FastAPI calls endpoints: a defaulted parameter may then precede any other.
        parameters = [
            (optional if each.name == parameter.name else each).replace(kind=inspect.Parameter.KEYWORD_ONLY)
            for each in signature.parameters.values()
        ]
        return signature.replace(parameters=parameters), (parameter.name, model)
    return signature, None


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The request model of a body parameter annotated `Model` or `Model | None`."""
    candidates = annotation.__args__ if isinstance(annotation, types.UnionType) else (annotation,)
    models = [each for each in candidates if isinstance(each, type) and issubclass(each, BaseModel)]
    return models[0] if len(models) == 1 else None


def _empty_body(model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate({})
    except ValidationError as error:
        # The same answer as for `{}`: the missing fields are named, as FastAPI would name them.
        raise RequestValidationError(
            [{**each, "loc": ("body", *each["loc"])} for each in error.errors()]
        ) from None


Candidate = tuple[BaseRoute, re.Pattern[str] | None]


class FirstSegmentDispatch:
    """The app router's entry point: it tries only the routes that can serve the request's path.

    Starlette tries every route in order, each one a regular expression, and since FastAPI 0.13x an
    included router is a walk over its routes with bookkeeping at each, done twice (to match, then to
    handle): with every resource's router that was most of the cost of a small GET. Here routes are
    grouped by the first path segment they can match, and an included router is skipped unless one of
    its paths matches (one regular expression for all of them). A router of one route included without
    options (see `include_each_route`) is its route: the route is matched and handled directly.

    Routes keep their order and only those that cannot match are skipped, so the first full match is
    the one the router would find. Anything else (no full match: 404, 405 or a redirect; a mounted root
    path; dependency overrides) goes to the router as before. The routes themselves, and
    so the OpenAPI document, are untouched.
    """

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.router = app.router
        self.fallback: ASGIApp = app.router.middleware_stack
        self._built_for = -1
        # The routes to try by (first path segment, method); by method for any other first segment.
        self._by_segment: dict[tuple[str, str], list[Candidate]] = {}
        self._anywhere: dict[str, list[Candidate]] = {}

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope.get("root_path")
            or getattr(self.router, "form_limits", None)
            or self.app.dependency_overrides
            or not path.startswith("/")
        ):
            await self.fallback(scope, receive, send)
            return
        if self._built_for != len(self.router.routes):
            self._build()
        method = scope["method"]
        candidates = self._by_segment.get((path.split("/", 2)[1], method), self._anywhere.get(method))
        if candidates is None:  # no route serves the method: the router says 404 or 405
            await self.fallback(scope, receive, send)
            return
        for route, paths in candidates:
            if paths is not None and paths.match(path) is None:
                continue
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                scope.setdefault("router", self.router)
                _update_scope(scope, child_scope)
                await route.handle(scope, receive, send)
                return
        await self.fallback(scope, receive, send)

    def _build(self) -> None:
        routes = [
            getattr(getattr(route, "original_router", None), SOLE_ROUTE, route)
            for route in self.router.routes
        ]
        paths = [_paths(route) for route in routes]
        entries: list[Candidate] = [
            (route, _prefilter(route, served) if served is not None else None)
            for route, served in zip(routes, paths, strict=True)
        ]
        segments = [_first_segments(served) if served is not None else None for served in paths]
        known = {segment for found in segments if found for segment in found}
        # A route that does not serve the method cannot fully match: it is not tried. Those that serve
        # any method (a mount) are tried for every one.
        methods = {method for route in routes for method in getattr(route, "methods", None) or ()}
        serving = [getattr(route, "methods", None) for route in routes]

        def tried(segment: str | None, method: str) -> list[Candidate]:
            return [
                entry
                for entry, found, served in zip(entries, segments, serving, strict=True)
                if (found is None or segment in found) and (served is None or method in served)
            ]

        self._by_segment = {
            (segment, method): tried(segment, method) for segment in known for method in methods
        }
        self._anywhere = {method: tried(None, method) for method in methods}
        self._built_for = len(routes)


# The attribute naming the one route of a router made by `include_each_route`.
SOLE_ROUTE = "fake_intercom_sole_route"


def include_each_route(app: FastAPI, router: APIRouter) -> None:
    """Include `router` route by route, each in a router of its own: the same routes in the same order,
    and so the same OpenAPI document, but routes `FirstSegmentDispatch` can reach one by one."""
    for route in router.routes:
        single = APIRouter()
        single.routes.append(route)
        if isinstance(route, APIRoute):
            setattr(single, SOLE_ROUTE, route)
        app.include_router(single)


def dispatch_by_first_segment(app: FastAPI) -> None:
    """Route `app`'s requests through a `FirstSegmentDispatch`; call once every router is included.
    Left alone when the router has middleware of its own, which the dispatch would bypass."""
    router = app.router
    if router.middleware_stack == router.app:
        dispatch = FirstSegmentDispatch(app)
        dispatch._build()
        router.middleware_stack = dispatch


def _paths(route: BaseRoute, prefix: str = "") -> list[str] | None:
    """The path templates `route` serves, or None when it might serve any path."""
    included = getattr(route, "original_router", None)
    if isinstance(included, APIRouter):  # FastAPI 0.13x+: an included router, matched through its routes
        nested_prefix = prefix + getattr(getattr(route, "include_context", None), "prefix", "")
        paths: list[str] = []
        for child in included.routes:
            child_paths = _paths(child, nested_prefix)
            if child_paths is None:
                return None
            paths += child_paths
        return paths
    if isinstance(route, (APIRoute, Route)):
        return [prefix + route.path]
    return None  # mounts, hosts and anything else are always tried


def _first_segments(paths: list[str]) -> set[str] | None:
    """The first segments of `paths`; None when one of them starts with a parameter."""
    segments = set()
    for path in paths:
        segment = path.split("/", 2)[1] if path.startswith("/") else "{"
        if "{" in segment:
            return None
        segments.add(segment)
    return segments


def _prefilter(route: BaseRoute, paths: list[str]) -> re.Pattern[str]:
    """The expression a request's path must match for `route` to be tried: a route's own, compiled
    already, when it serves one path (every route `include_each_route` included)."""
    if isinstance(route, Route) and paths == [route.path]:
        return route.path_regex
    return _any_of(paths)


def _any_of(paths: list[str]) -> re.Pattern[str]:
    """One expression matching what any of `paths` matches (without capturing their parameters)."""
    patterns = [NAMED_GROUP.sub("(?:", compile_path(path)[0].pattern) for path in paths]
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns) or "(?!)")
