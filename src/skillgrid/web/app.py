"""``create_app(settings)``: the FastAPI application, made by a factory (no import-time I/O)."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException  # FastAPI's and routing's own 404/405
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import ClientDisconnect

from skillgrid.config import Settings
from skillgrid.domain.assessments import Forbidden, StateError
from skillgrid.domain.errors import Conflict, InputError, NotFound, SkillGridError
from skillgrid.domain.people import url_segment
from skillgrid.domain.scim import ScimError
from skillgrid.logs import configure_logging
from skillgrid.web.deps import (
    CHANGE_PASSWORD,
    MustChangePassword,
    NotSignedIn,
    Sso,
    templates_of,
)
from skillgrid.web.etag import BodyETag
from skillgrid.web.html_ids import html_id
from skillgrid.web.limits import ExpensiveRequests, Load, ShedLoad, TooBusy
from skillgrid.web.metrics import DatabaseCollector, Metrics
from skillgrid.web.request_log import RequestLog
from skillgrid.web.scim import PREFIX as SCIM_PREFIX
from skillgrid.web.scim import scim_error
from skillgrid.web.security import MAX_BODY, LimitBody, SecurityHeaders


def serving_app() -> FastAPI:
    """The app as ``skillgrid serve`` runs it in each worker process: on the settings of the
    environment, with the process's memory settled once the app has started."""
    app = create_app()
    app.state.settle_memory = True
    return app


def settle_memory() -> None:
    """Set the objects made at start-up (the app, its routes and models, the templates, the
    database metadata) aside from garbage collection, and make full collections rare: each
    walked every long-lived object while the whole process waited (at 200 req/s on the
    review-week mix, reads p99 went from 93 ms to 28 ms, docs/performance.md).

    Young objects are still collected often. A collection frees the cyclic garbage that
    requests left since the last one (SQL expressions, request objects), about 5 µs an
    object: collected every 50,000 young objects, as at first, that was some 36,000
    objects and a 200 ms pause in each worker every 20 s at 200 req/s; every 2,000 it is
    pauses under 25 ms, and the same work in all. Once per process: objects set aside are
    never freed, so a process that makes many apps (tests) does not call it."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(2_000, 20, 100)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app on ``settings`` (read from the environment when not given)."""
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_format)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from skillgrid.db.engine import make_engine, make_session_factory
        from skillgrid.db.migrate import upgrade
        from skillgrid.db.storage import SqlStorage
        from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
        from skillgrid.outbound.http import HttpPoster
        from skillgrid.outbound.smtp import mailer_of
        from skillgrid.web.deliveries import DeliveryWorker

        engine = make_engine(
            settings.database_url,
            busy_timeout_ms=settings.sqlite_busy_timeout_ms,
            # a connection for each thread, and the outbox sender's: none waits
            pool_size=settings.web_threads + (1 if settings.outbox_interval else 0),
        )
        upgrade(engine)
        factory = make_session_factory(engine)
        app.state.storage = SqlStorage(engine)
        app.state.uow_factory = lambda: SqlAlchemyUnitOfWork(factory)
        # the threads that run database work and templates: a few, since they share one GIL
        to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        app.state.poster = HttpPoster()
        app.state.mailer = mailer_of(settings)  # event mails, and invitations sent at once
        sender = DeliveryWorker(
            app.state.uow_factory,
            settings.outbox_interval,
            app.state.poster,
            app.state.mailer,
            settings.base_url,
        )
        if settings.outbox_interval:
            sender.start()
        if getattr(app.state, "settle_memory", False):
            settle_memory()
        yield
        if settings.outbox_interval:
            sender.stop()
        engine.dispose()

    app = FastAPI(
        title="SkillGrid",
        summary="Career ladders as data: ladders, assessments, levels and gaps.",
        docs_url=None,  # served below from the packaged Swagger UI: no CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.sso = single_sign_on(settings)
    app.state.templates = templates()
    app.state.metrics = Metrics()
    app.state.expensive = ExpensiveRequests(settings.expensive_per_account)
    app.state.load = Load(settings.max_in_flight)
    app.state.metrics.registry.register(DatabaseCollector(app))
    app.add_middleware(BodyETag)
    app.add_middleware(LimitBody, limit=MAX_BODY)
    app.add_middleware(ShedLoad, load=app.state.load)
    if settings.allowed_hosts != ["*"]:  # any other Host header: 400, before any work
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    # on every answer, 400, 413 and 503 included
    app.add_middleware(SecurityHeaders, https_only=settings.served_over_https)
    # the outermost: it logs, counts and times every answer, 413s included
    app.add_middleware(RequestLog, metrics=app.state.metrics)
    static = resources.files("skillgrid.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _errors(app)
    _docs(app)

    for prefix, router in routers():
        app.include_router(router, prefix=prefix)
    return app


def single_sign_on(settings: Settings) -> Sso | None:
    """The identity provider client and the policy, where single sign-on is configured.
    Nothing is fetched here: the provider's discovery document is read on first use."""
    if settings.oidc_issuer is None or settings.oidc_client_id is None:
        return None
    from skillgrid.oidc import OidcClient
    from skillgrid.services.sso_claims import SsoPolicy

    secret = settings.oidc_client_secret
    provider = OidcClient(
        settings.oidc_issuer,
        settings.oidc_client_id,
        secret.get_secret_value() if secret is not None else None,
        scopes=settings.oidc_scopes,
        leeway=settings.oidc_clock_skew_seconds,
    )
    policy = SsoPolicy(
        email_claim=settings.oidc_email_claim,
        require_verified_email=settings.oidc_require_verified_email,
        admin_claim=settings.oidc_admin_claim,
        admin_values=frozenset(settings.oidc_admin_values),
        create_people=settings.oidc_create_people,
        contact=settings.oidc_contact,
    )
    return Sso(provider, policy)


def routers() -> list[tuple[str, APIRouter]]:
    """Every router of the app with its prefix: the pages, the JSON API, then SCIM."""
    from skillgrid.web import metrics as health
    from skillgrid.web.api import admin as api_admin
    from skillgrid.web.api import audit as api_audit
    from skillgrid.web.api import frameworks as api_frameworks
    from skillgrid.web.api import insight as api_insight
    from skillgrid.web.api import invitations as api_invitations
    from skillgrid.web.api import people as api_people
    from skillgrid.web.api import suggestions as api_suggestions
    from skillgrid.web.api import tokens as api_tokens
    from skillgrid.web.api import webhooks as api_webhooks
    from skillgrid.web.pages import (
        admin,
        admin_cycles,
        admin_people,
        assess,
        audit,
        auth,
        evidence,
        home,
        insight,
        invitations,
        ladders,
        people,
        sso,
        team,
        tokens,
        webhooks,
    )

    # Routes are matched in this order, one after another: the pages and answers of a
    # review week first (each router passed costs a request a few microseconds a route)
    pages = [people, assess, team, home, ladders, insight, health, auth, sso]
    pages += [evidence, admin, admin_cycles, admin_people, audit, webhooks, invitations, tokens]
    api = [
        api_people,
        api_frameworks,
        api_insight,
        api_suggestions,
        api_tokens,
        api_audit,
        api_webhooks,
        api_admin,
        api_invitations,
    ]
    from skillgrid.web import scim

    found = [("", module.router) for module in pages] + [("/api/v1", m.router) for m in api]
    return [*found, (scim.PREFIX, scim.router)]  # for identity providers, by SCIM token only


def routes() -> list[tuple[str, APIRoute]]:
    """Every route (full path, route), for checks that walk them all."""
    return [
        (prefix + route.path, route)
        for prefix, router in routers()
        for route in router.routes
        if isinstance(route, APIRoute)
    ]


def _docs(app: FastAPI) -> None:
    """The OpenAPI page at /api/docs with Swagger UI from a Python package (works offline)."""
    import swagger_ui_bundle
    from fastapi.openapi.docs import get_swagger_ui_html

    app.mount(
        "/api/docs/static", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger"
    )

    @app.get("/api/docs", include_in_schema=False)
    async def docs() -> Response:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="SkillGrid API",
            swagger_js_url="/api/docs/static/swagger-ui-bundle.js",
            swagger_css_url="/api/docs/static/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )


def templates() -> Jinja2Templates:
    """The page templates; they ship with the package, so nothing checks them for changes."""
    folder = resources.files("skillgrid.web").joinpath("templates")
    found = Jinja2Templates(directory=str(folder))
    found.env.auto_reload = False
    # an email or team name as one segment of a link's path (Jinja's urlencode keeps "/")
    found.env.filters["segment"] = url_segment
    found.env.filters["html_id"] = html_id  # a chosen name (a cycle's, say) in an HTML id
    return found


def _message(error: Any) -> str:
    """A validation error's message; a body that is not JSON also says what is wrong."""
    reason = error.get("ctx", {}).get("error") if error["type"] == "json_invalid" else None
    return f"{error['msg']}: {reason}" if reason else str(error["msg"])


def _errors(app: FastAPI) -> None:
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def page(request: Request, status: int, title: str, message: str) -> Response:
        if request.url.path.startswith(SCIM_PREFIX):  # SCIM's own Error message
            return scim_error(400 if status == 422 else status, message)
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=status)
        if request.headers.get("x-requested-with") == "fetch":
            # the page's own script (an autosave): it says why in place, and a save that
            # someone else's overtook ("Changed meanwhile") apart from one the state refuses
            return JSONResponse({"title": title, "detail": message}, status_code=status)
        return templates_of(request).TemplateResponse(
            request,
            "error.html",
            {"title": title, "message": message},
            status_code=status,
        )

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _: NotSignedIn) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(MustChangePassword)
    async def must_change_password(request: Request, _: MustChangePassword) -> Response:
        return RedirectResponse(f"{CHANGE_PASSWORD}?next={request.url.path}", status_code=303)

    @app.exception_handler(ClientDisconnect)
    async def gone(request: Request, _: ClientDisconnect) -> Response:
        # the client hung up while sending its request: nobody reads the answer, nothing
        # was done, and it is not the server's error (logged as 499, as nginx does)
        return Response(status_code=499)

    @app.exception_handler(TooBusy)
    async def too_busy(request: Request, error: TooBusy) -> Response:
        response = page(request, 429, "One moment", str(error))
        response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.exception_handler(ScimError)
    async def scim_refused(request: Request, error: ScimError) -> Response:
        return scim_error(error.status, error.detail, error.scim_type)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        return page(request, 404, "Not found", str(error))

    @app.exception_handler(Conflict)
    async def conflict(request: Request, error: Conflict) -> Response:
        return page(request, 409, "Changed meanwhile", str(error))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, error: InputError) -> Response:
        if wants_json(request):  # each problem where it is (a file's row and column), too
            problems = [problem.to_dict() for problem in error.problems]
            return JSONResponse({"detail": str(error), "problems": problems}, status_code=422)
        return page(request, 422, "Please check the input", str(error))

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> Response:
        return page(request, 403, "Not allowed", str(error))

    @app.exception_handler(StateError)
    async def wrong_state(request: Request, error: StateError) -> Response:
        return page(request, 409, "Not possible now", str(error))

    @app.exception_handler(SkillGridError)
    async def refused(request: Request, error: SkillGridError) -> Response:
        return page(request, 422, "Not possible", str(error))

    from sqlalchemy.exc import DataError

    @app.exception_handler(DataError)
    async def unstorable(request: Request, _: DataError) -> Response:
        # a value the database refuses (a NUL character, a number out of range) that no
        # check caught earlier: the request was wrong, not the server
        return page(
            request,
            422,
            "Please check the input",
            "the input holds a character or number the database cannot store; nothing was "
            "stored — remove control characters and keep numbers within range",
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        # where and what, never the input itself: it may be personal text, or a value
        # (NaN, a lone surrogate) that cannot be written back out
        found = [
            {"loc": list(e["loc"]), "msg": _message(e), "type": e["type"]} for e in error.errors()
        ]
        if wants_json(request):
            return JSONResponse({"detail": found}, status_code=422)
        fields = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in found)
        return page(request, 422, "Please check the input", fields)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        titles = {401: "Sign in", 403: "Not allowed", 404: "Not found", 409: "Changed meanwhile"}
        return page(
            request, error.status_code, titles.get(error.status_code, "Error"), str(error.detail)
        )
