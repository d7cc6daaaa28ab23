"""Project-level views: the health check."""

from __future__ import annotations

from typing import Any

import structlog
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
    """``200`` with the database state and the policy version, or ``503`` saying what is wrong.

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
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
