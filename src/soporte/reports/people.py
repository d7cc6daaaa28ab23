"""The reports about people and demand, beside the service levels: CSAT (``csat``), volume
(``volume``) and on-call (``oncall``), in the order the page shows them."""

from __future__ import annotations

from collections.abc import Mapping

from soporte.reports import csat, oncall, volume
from soporte.reports.domain.tables import Report

REPORTS: Mapping[str, Report] = {**csat.REPORTS, **volume.REPORTS, **oncall.REPORTS}
