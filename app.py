"""create_app(): the one composition root — plugins, routers, background worker and error mapping."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from os import PathLike
from pathlib import Path
from typing import Any

from advanced_alchemy import exceptions as alchemy_errors
from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar, Request, Response, get
from litestar import exceptions as http
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.redis import RedisStore
from litestar.template.config import TemplateConfig
from sqlalchemy.exc import IntegrityError

from claims.assessments.controllers import ROUTES as ASSESSMENT_ROUTES
from claims.assessments.controllers import STATIC_DIR as ASSESSMENT_STATIC_DIR
from claims.clock.cli import COMMANDS as CLOCK_COMMANDS
from claims.clock.controllers import ROUTES as CLOCK_ROUTES
from claims.clock.controllers import STATIC_DIR as CLOCK_STATIC_DIR
from claims.clock.tasks import ACTORS as CLOCK_ACTORS
from claims.controllers import ROUTES as CLAIM_ROUTES
from claims.controllers import STATIC_DIR as CLAIM_STATIC_DIR
from claims.services.filing import ClaimFilings
from claims.visits.cli import COMMANDS as VISIT_COMMANDS
from claims.visits.controllers import ROUTES as VISIT_ROUTES
from claims.visits.controllers import STATIC_DIR as VISIT_STATIC_DIR
from claims.visits.tasks import ACTORS as VISIT_ACTORS
from core import audit_seal, errors, notifications
from core.auth import PUBLIC_PATHS, make_hasher, make_jwt_auth
from core.broker import build_broker, embedded_worker_wanted, start_embedded_worker
from core.cli import CORE_COMMANDS, AnjuCLIPlugin
from core.database import alchemy_config, make_sessionmaker, session_scope
from core.documents.templating import STATIC_DIR as SHARED_STATIC_DIR
from core.documents.templating import environment as template_environment
from core.media import enforce_media_type
from core.methods import answer_options
from core.notifications import ACTORS as NOTIFICATION_ACTORS
from core.openapi import ErrorResponses
from core.outbox import redispatch_pending, register_actors, session_info, worker_sessionmaker
from core.problems import Problem, problem_response
from core.schedule import ACTORS as CORE_ACTORS
from core.schedule import run_schedule
from core.security import SameOriginWrites, refuse_public_keys, security_headers
from core.settings import DEVELOPMENT_SECRET, Settings, get_settings
from payouts.cli import COMMANDS as PAYOUT_COMMANDS
from payouts.controllers import ROUTES as PAYOUT_ROUTES
from payouts.controllers import STATIC_DIR as PAYOUT_STATIC_DIR
from payouts.rebates.tasks import ACTORS as PAYOUT_ACTORS
from payouts.tasks import ACTORS as CLAIM_PAYOUT_ACTORS
from policies.cli import COMMANDS as POLICY_COMMANDS
from policies.controllers import ROUTES as POLICY_ROUTES
from policies.controllers import STATIC_DIR as POLICY_STATIC_DIR
from policies.tasks import ACTORS as POLICY_ACTORS
from reports.controllers import ROUTES as REPORT_ROUTES
from reports.controllers import STATIC_DIR as REPORT_STATIC_DIR
from reports.exports.controllers import ROUTES as EXPORT_ROUTES
from reports.findings.controllers import ROUTES as FINDING_ROUTES
from reports.findings.controllers import STATIC_DIR as FINDING_STATIC_DIR
from reports.tasks import ACTORS as REPORT_ACTORS
from reports.trail.controllers import ROUTES as TRAIL_ROUTES
from reports.trail.controllers import STATIC_DIR as TRAIL_STATIC_DIR
from users.cli import COMMANDS as USER_COMMANDS
from users.controllers import ROUTES as USER_ROUTES
from users.controllers import STATIC_DIR as USER_STATIC_DIR
from users.sessions import LiveSessions
from users.throttle import LoginThrottle

log = logging.getLogger("anju")

DOMAIN_STATUS: list[tuple[type[errors.DomainError], int]] = [
    (errors.NotFound, 404),
    (errors.Conflict, 409),
    (errors.NotAllowed, 403),
    (errors.InvalidInput, 422),
    (errors.DomainError, 422),
]

HTTP_CODES = {
    400: ("bad_request", "请求格式有误", "The request is malformed"),
    401: ("not_authenticated", "请先登录", "Please log in first"),
    403: ("forbidden", "无权访问", "You may not access this"),
    404: ("not_found", "找不到该页面或记录", "Not found"),
    405: ("method_not_allowed", "不支持该请求方法", "Method not allowed"),
    409: ("conflict", "与现有记录冲突", "Conflicts with an existing record"),
    413: ("too_large", "上传内容过大", "The upload is too large"),
    415: ("unsupported_media_type", "不支持该内容类型", "Unsupported content type"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试", "Too many requests; try again later"),
    500: ("internal_error", "服务器内部错误", "Internal server error"),
}


def domain_error(_: Request[Any, Any, Any], exc: errors.DomainError) -> Response[Problem]:
    status = next(code for kind, code in DOMAIN_STATUS if isinstance(exc, kind))
    return problem_response(
        status,
        exc.code,
        exc.message_zh,
        exc.message_en,
        detail=exc.detail,
        errors=[exc.extra] if exc.extra else None,
    )


def http_error(_: Request[Any, Any, Any], exc: http.HTTPException) -> Response[Problem]:
    status = exc.status_code
    code, zh, en = HTTP_CODES.get(status, HTTP_CODES[400 if status < 500 else 500])
    if isinstance(exc, http.ValidationException):
        code, zh, en = "validation_failed", "输入有误，请检查后重试", "Invalid input; please check and retry"
    extra = exc.extra if isinstance(exc.extra, list) else ([exc.extra] if exc.extra else None)
    detail = exc.detail if exc.detail and exc.detail != en else None
    return problem_response(status, code, zh, en, detail=detail, errors=extra, headers=exc.headers)


def store_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    if isinstance(exc, alchemy_errors.NotFoundError):
        return domain_error(request, errors.NotFound())
    return domain_error(request, errors.Conflict())


def unexpected_error(_: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    log.exception("unhandled error", exc_info=exc)
    return problem_response(500, *HTTP_CODES[500])


async def before_request(request: Request[Any, Any, Any]) -> Response[None] | None:
    """Runs after the guards, before the body is read (the one hook Litestar keeps per handler)."""
    if options := answer_options(request):
        return options
    await enforce_media_type(request)
    return None


@get("/health", tags=["service"], summary="Liveness check", sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


# The scripts and stylesheet every page loads, under /static (public: they carry no data).
STATIC_DIRS: list[Path | PathLike[Any] | str] = [
    SHARED_STATIC_DIR,
    CLAIM_STATIC_DIR,
    USER_STATIC_DIR,
    POLICY_STATIC_DIR,
    ASSESSMENT_STATIC_DIR,
    PAYOUT_STATIC_DIR,
    FINDING_STATIC_DIR,
    TRAIL_STATIC_DIR,
    VISIT_STATIC_DIR,
    REPORT_STATIC_DIR,
    CLOCK_STATIC_DIR,
]

ROUTES = [
    health,
    *USER_ROUTES,
    *REPORT_ROUTES,
    *POLICY_ROUTES,
    *CLAIM_ROUTES,
    *ASSESSMENT_ROUTES,
    *VISIT_ROUTES,
    *PAYOUT_ROUTES,
    *FINDING_ROUTES,
    *TRAIL_ROUTES,
    *EXPORT_ROUTES,
    *CLOCK_ROUTES,
    create_static_files_router(
        path="/static", directories=STATIC_DIRS, opt={"exclude_from_auth": True}, include_in_schema=False
    ),
]

# Every package's Dramatiq actors (from its tasks.py); create_app registers them on the app's broker.
ACTORS = [
    *CORE_ACTORS,
    *NOTIFICATION_ACTORS,
    *POLICY_ACTORS,
    *VISIT_ACTORS,
    *CLOCK_ACTORS,
    *PAYOUT_ACTORS,
    *CLAIM_PAYOUT_ACTORS,
    *REPORT_ACTORS,
]

# Every package's `litestar anju …` commands (from its cli.py).
COMMANDS = [
    *CORE_COMMANDS,
    *USER_COMMANDS,
    *POLICY_COMMANDS,
    *VISIT_COMMANDS,
    *CLOCK_COMMANDS,
    *PAYOUT_COMMANDS,
]


def shared_stores(settings: Settings) -> dict[str, Store]:
    """With Redis, rate limits are counted once for all app processes, not once per process."""
    if not settings.broker_url.startswith(("redis://", "rediss://")):
        return {}
    return {"rate_limit": RedisStore.with_client(url=settings.broker_url, namespace="anju_rate_limit")}


def create_app(settings: Settings | None = None, *, sender: notifications.Sender | None = None) -> Litestar:
    """The app and everything it runs on, built from `settings` alone: its broker with every actor
    registered, the database its requests and its actors use, its password hasher. Two apps in one
    process share none of them. Messages to people go out through `sender` (default: the log)."""
    settings = settings or get_settings()
    refuse_public_keys(settings)
    if settings.secret_key == DEVELOPMENT_SECRET:
        log.warning("ANJU_SECRET_KEY is not set: login tokens are signed with the public development key")
    broker = build_broker(settings.broker_url, heartbeat_ms=settings.broker_heartbeat_ms)
    sealed = {**audit_seal.session_info(settings), **notifications.session_info(sender)}
    alchemy = alchemy_config(settings, session_info={**session_info(broker), **sealed})
    live_sessions = LiveSessions(settings.database_url)
    login_throttle = LoginThrottle.for_broker(settings.broker_url)
    jwt_auth = make_jwt_auth(settings, revoked=live_sessions)
    # Outside a request (the claim filings' batches, start-up): the same broker and seal.
    sessionmaker = make_sessionmaker(alchemy.get_engine(), info={**session_info(broker), **sealed})
    actor_sessionmaker = worker_sessionmaker(settings.database_url, broker, info=sealed)
    register_actors(broker, ACTORS, actor_sessionmaker)
    claim_filings = ClaimFilings(sessionmaker)

    @asynccontextmanager
    async def background_work(app: Litestar) -> AsyncIterator[None]:
        worker = start_embedded_worker(broker) if embedded_worker_wanted(settings) else None
        scheduler = asyncio.create_task(run_schedule(broker)) if worker else None
        async with session_scope(sessionmaker) as session:
            await redispatch_pending(session)
        # Everything made so far (modules, mappers, routes: some 200,000 objects) lives as long as
        # the app. Left in the collector's oldest generation, each full collection walks them all,
        # a pause of about 90 ms every few seconds under load: the slowest requests. Frozen, the
        # collector skips them until the app stops (tests start many apps in one process).
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            if scheduler is not None:
                scheduler.cancel()
            if worker is not None:
                worker.stop()
            await live_sessions.close()
            await login_throttle.close()

    return Litestar(
        route_handlers=ROUTES,
        plugins=[
            SQLAlchemyPlugin(config=alchemy),
            ErrorResponses(PUBLIC_PATHS),
            AnjuCLIPlugin(commands=COMMANDS),
        ],
        dependencies={"claim_filings": Provide(lambda: claim_filings, sync_to_thread=False)},
        on_app_init=[jwt_auth.on_app_init],
        middleware=[SameOriginWrites(cookie=jwt_auth.key, login_paths=["/auth/login"], https=settings.https)],
        before_send=[security_headers(settings)],
        before_request=before_request,
        lifespan=[background_work],
        state=State(
            {
                "settings": settings,
                "jwt_auth": jwt_auth,
                "login_throttle": login_throttle,
                "broker": broker,
                "hasher": make_hasher(settings),
                "sessionmaker": sessionmaker,
                "actor_sessionmaker": actor_sessionmaker,
            }
        ),
        template_config=TemplateConfig(engine=JinjaTemplateEngine.from_environment(template_environment)),
        request_max_body_size=settings.max_upload_bytes,
        exception_handlers={
            errors.DomainError: domain_error,
            http.HTTPException: http_error,
            # Named, so the SQLAlchemy plugin does not add its own handler (a body in Litestar's format).
            alchemy_errors.RepositoryError: store_error,
            alchemy_errors.AdvancedAlchemyError: store_error,
            IntegrityError: store_error,
            Exception: unexpected_error,
        },
        openapi_config=OpenAPIConfig(
            title="Anju 安居 claims service",
            version="0.1.0",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
        ),
        stores=shared_stores(settings),
        debug=settings.debug,
    )
