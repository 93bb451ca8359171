"""crmkit: a course and research kit for customer interaction (客户互动).

The kit follows a university course on customer relationship management. Its
subpackages:

- :mod:`crmkit.queues` — waiting and queues: Erlang B/C/A, M/M/c/K, M/G/1, G/G/c,
  priority lines, staffing, call-centre data and simulation.
- :mod:`crmkit.waiting` — the psychology of waiting: how long a wait feels.
- :mod:`crmkit.segmentation` and :mod:`crmkit.clv` — ABC/Pareto, RFM, clusters, the
  strategy matrix, lifecycle stages and customer lifetime value.
- :mod:`crmkit.channels` — the course's channel table, multi-criteria ranking and
  channel mix.
- :mod:`crmkit.complaints` — complaint handling as a model you can simulate.
- :mod:`crmkit.experiments` — reproducible, restartable parameter sweeps on Dask.
- :mod:`crmkit.datasets`, :mod:`crmkit.plotting`, :mod:`crmkit.widgets`,
  :mod:`crmkit.exercises` — data, figures, explorers and self-checks for the notebooks.

Importing crmkit does no I/O and changes no matplotlib settings. Messages meant for
students speak Simplified Chinese or English: :func:`set_language` (``"zh"`` or
``"en"``) selects the language, and the environment variable ``CRMKIT_LANG`` sets the
default.

Examples
--------
>>> import crmkit
>>> isinstance(crmkit.__version__, str)
True
"""

from crmkit import errors
from crmkit._i18n import LANGUAGES, get_language, language, set_language, tr

__version__ = "0.1.0"

__all__ = [
    "LANGUAGES",
    "__version__",
    "errors",
    "get_language",
    "language",
    "set_language",
    "tr",
]
