"""Exceptions raised by crmkit.

Every error a user can cause is a subclass of :class:`ValueError`, so ``except
ValueError`` catches them all, and each message says what was wrong, the value given and
how to fix it.

Examples
--------
>>> from crmkit.errors import ParameterError
>>> issubclass(ParameterError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "CrmkitError",
    "DataError",
    "FitError",
    "ParameterError",
    "SweepTaskError",
    "TargetError",
    "UnstableQueueError",
    "UnsupportedMetricError",
]


class CrmkitError(ValueError):
    """Base class of every error crmkit raises on bad input."""


class ParameterError(CrmkitError):
    """A parameter is out of range, of the wrong type, NaN or infinite."""


class UnstableQueueError(ParameterError):
    """The queue has no steady state (utilisation ρ ≥ 1 with neither abandonment nor a
    capacity).
    """


class TargetError(ParameterError):
    """A staffing or planning target is missing, outside its range or cannot be met."""


class DataError(CrmkitError):
    """A data set lacks a column, holds values of a wrong type, or cannot be parsed."""


class FitError(CrmkitError):
    """A model fit did not converge; the message says which data and starting values
    were used.
    """


class UnsupportedMetricError(CrmkitError):
    """The model does not determine the requested metric (for example a waiting-time
    distribution from only two moments); the message names what does."""


class SweepTaskError(RuntimeError):
    """A function run by :func:`crmkit.experiments.sweep` failed; the message names the
    grid point and replication, and the original exception is chained. Not a
    ``ValueError``: the inputs to crmkit were fine, the user's function was not."""
