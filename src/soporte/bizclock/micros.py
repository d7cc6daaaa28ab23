"""UTC microseconds since the epoch: the unit of the batch forms (NumPy ``int64`` arrays)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from soporte.bizclock.years import EPOCH, offset

Micros = npt.NDArray[np.int64]
US = timedelta(microseconds=1)


def to_micros(t: datetime) -> int:
    """UTC microseconds since the epoch of an aware datetime (exact, any year)."""
    return offset(t) // US


def from_micros(us: int, zone: ZoneInfo | timezone = UTC) -> datetime:
    """The aware datetime, in ``zone``, of UTC microseconds since the epoch (exact, any year)."""
    return (EPOCH + US * us).astimezone(zone)


def as_micros(values: npt.ArrayLike) -> Micros:
    """An ``int64`` array of microseconds from integers, ``datetime64``/``timedelta64`` arrays,
    or sequences of aware datetimes or timedeltas."""
    array = np.asarray(values)
    if array.dtype.kind in "Mm":
        unit = "M8[us]" if array.dtype.kind == "M" else "m8[us]"
        return array.astype(unit).view(np.int64)
    if array.dtype == object:
        flat = np.fromiter((_micros(v) for v in array.ravel()), np.int64, count=array.size)
        return flat.reshape(array.shape)
    return array.astype(np.int64, copy=False)


def _micros(value: object) -> int:
    if isinstance(value, datetime):
        return to_micros(value)
    if isinstance(value, timedelta):
        return value // US
    raise TypeError(f"expected datetimes, timedeltas or integer microseconds, got {value!r}")
