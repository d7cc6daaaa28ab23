"""Project-level views: the health check."""

from __future__ import annotations

from typing import Any

import structlog
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from soporte.oncall.selectors import paging_rotation
from soporte.policy import PolicyInvalid, default_policy

log = structlog.get_logger(__name__)


def pending_migrations() -> int:
    """How many migrations are not applied to the default database."""
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    return len(executor.migration_plan(targets))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """``200`` with the database state, the policy version and the paging rotation, or ``503``
    when the database or the policy fails; ``status`` is ``degraded`` with anything wrong.

    Where the policy file lives (its absolute path) is shown to agents and staff only: an
    anonymous monitor gets the policy's name and version, and its problems without the path.
    """
    insider = getattr(request.user, "agent", None) is not None or request.user.is_staff
    body: dict[str, Any] = {"status": "ok"}
    database: dict[str, Any] = {"vendor": connection.vendor, "ok": True}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database["migrations_pending"] = pending_migrations()
    except DatabaseError as exc:
        log.warning("healthz.database_failed", error=str(exc))
        database.update(ok=False, error=str(exc) or type(exc).__name__)
        body["status"] = "degraded"
    body["database"] = database
    try:
        policy = default_policy()
        body["policy"] = {"name": policy.name, "version": policy.version}
        if insider:
            body["policy"]["source"] = policy.source
    except PolicyInvalid as exc:
        body["status"] = "degraded"
        problems = [
            str(p) if insider else f"{p.key or 'policy'}: {p.message}" for p in exc.problems
        ]
        body["policy"] = {"ok": False, "problems": problems}
    if database["ok"]:
        body["paging"] = _paging()
        if not body["paging"]["ok"]:
            body["status"] = "degraded"
    down = not database["ok"] or body["policy"].get("ok") is False
    return JsonResponse(body, status=503 if down else 200)


def _paging() -> dict[str, Any]:
    """Whether a rotation takes pages (not which: anyone may read this): without one every
    page finds nobody on call. The desk still serves (200); ``status`` says ``degraded`` for the
    monitor to act on."""
    if paging_rotation() is None:
        return {"ok": False, "problem": "no paging rotation"}
    return {"ok": True}
