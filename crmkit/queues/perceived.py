"""Deprecated: waiting psychology now lives in :mod:`crmkit.waiting`.

Every name this module had (``PerceivedWaitModel``, ``WaitConditions``, ``PRINCIPLES``,
``ANNOUNCEMENT_ABANDONMENT``, ``announcement_patience_factor``) still works from here
with a ``DeprecationWarning`` until crmkit 1.0; import it from :mod:`crmkit.waiting`.
"""

from crmkit._deprecation import moved_from

__getattr__ = moved_from(__name__)
