"""Call-centre logs in the layout of the Technion "Anonymous Bank" data: read, make,
analyse, replay.

The layout (one row per call, 17 columns) is that of the call log of an Israeli bank for
1999, published by the Technion SEE Center and analysed by Brown et al. (2005)::

    vru+line call_id customer_id priority type date vru_entry vru_exit vru_time q_start
    q_exit q_time outcome ser_start ser_exit ser_time server

This module gathers the call-log tools, which live in one private module per job (all
are also exported from :mod:`crmkit.queues`):

- reading and checking (``_calllog_read``): :data:`CALL_LOG_COLUMNS`,
  :func:`read_call_log`;
- synthesising a look-alike log (``_calllog_make``): :class:`CallCentreCalibration`,
  :func:`make_call_log`;
- estimating model inputs (``_calllog_estimate``): :func:`arrival_rates_by_hour`,
  :func:`service_time_fit`, :func:`patience_curve`, :func:`abandonment_vs_wait`,
  :func:`agents_by_hour`;
- replaying a day under another staffing plan (``_calllog_replay``):
  :func:`replay_call_log`.

References
----------
L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao (2005),
"Statistical analysis of a telephone call center: a queueing-science perspective",
*Journal of the American Statistical Association* 100(469):36–50.

Examples
--------
>>> import crmkit.queues
>>> from crmkit.queues import calllog
>>> calllog.read_call_log is crmkit.queues.read_call_log
True
"""

from crmkit.queues._calllog_estimate import (
    abandonment_vs_wait,
    agents_by_hour,
    arrival_rates_by_hour,
    patience_curve,
    service_time_fit,
)
from crmkit.queues._calllog_make import CallCentreCalibration, make_call_log
from crmkit.queues._calllog_read import CALL_LOG_COLUMNS, read_call_log
from crmkit.queues._calllog_replay import replay_call_log

__all__ = [
    "CALL_LOG_COLUMNS",
    "CallCentreCalibration",
    "abandonment_vs_wait",
    "agents_by_hour",
    "arrival_rates_by_hour",
    "make_call_log",
    "patience_curve",
    "read_call_log",
    "replay_call_log",
    "service_time_fit",
]
