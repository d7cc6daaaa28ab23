"""The production schema and worker hold nothing the tests alone need: the probe job (its
handler and effect table) lives in the test app ``probeapp``, installed by the test settings."""

from __future__ import annotations

from jobs_helpers import clean_env

from soporte.config import settings as production


def test_production_settings_install_no_test_app() -> None:
    assert "probeapp" not in production.INSTALLED_APPS


def test_the_production_migrations_leave_no_probe_table() -> None:
    from django.db.migrations.loader import MigrationLoader

    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    production_labels = {name.rsplit(".", 1)[-1] for name in production.INSTALLED_APPS}
    tables = {
        model.options.get("db_table") or f"{app}_{name}"
        for (app, name), model in state.models.items()
        if app in production_labels
    }
    assert not [table for table in tables if "probe" in table]


def test_a_production_worker_knows_no_probe_handler(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    env = clean_env(
        SOPORTE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="soporte.config.settings"
    )
    code = (
        "from soporte.config.runtime import setup_django; setup_django()\n"
        "from soporte.jobs import registry\n"
        "print(registry.kinds())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "probe" not in done.stdout
    assert "outbox" in done.stdout  # the production handlers are there
