"""The support policy as data: the shipped default file, its loader and validation."""

from soporte.policy.durations import Basis, DurationError, Target, parse_duration
from soporte.policy.loader import (
    DEFAULT_PATH,
    ENV_VAR,
    PolicyInvalid,
    PolicyProblem,
    default_policy,
    load_policy,
    parse_policy,
)
from soporte.policy.model import Channel, Named, Plan, Policy, UnknownCode

__all__ = [
    "DEFAULT_PATH",
    "ENV_VAR",
    "Basis",
    "Channel",
    "DurationError",
    "Named",
    "Plan",
    "Policy",
    "PolicyInvalid",
    "PolicyProblem",
    "Target",
    "UnknownCode",
    "default_policy",
    "load_policy",
    "parse_duration",
    "parse_policy",
]
