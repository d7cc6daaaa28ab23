"""Every report by its key: the console's reports pages, the CSV export and ``soporte report``
read them from here. Each report module exposes ``REPORTS``, a mapping of key to
:class:`~soporte.reports.domain.tables.Report`; list it in ``_CATALOGUES`` below."""

from __future__ import annotations

from collections.abc import Mapping

from soporte.reports import csat, oncall, service_level, volume
from soporte.reports.domain.tables import Report

_CATALOGUES: list[Mapping[str, Report]] = [
    service_level.REPORTS,  # the service levels, then people and demand:
    csat.REPORTS,
    volume.REPORTS,
    oncall.REPORTS,
]


def reports() -> Mapping[str, Report]:
    """Every report, in the order the page shows them."""
    found: dict[str, Report] = {}
    for catalogue in _CATALOGUES:
        found.update(catalogue)
    return found
