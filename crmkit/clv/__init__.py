"""Customer lifetime value (客户终身价值): BG/NBD, Gamma-Gamma and the retention
formula.

- :class:`BGNBD` — how many purchases a customer will make, and P(alive).
- :class:`GammaGamma` — how much a customer spends per purchase.
- :func:`lifetime_value` — the two combined into a discounted CLV per customer.
- :func:`retention_clv` — the textbook formula with constant margin and retention.
- :func:`make_transactions` — synthetic transactions drawn from the models.

Examples
--------
>>> from crmkit.clv import retention_clv
>>> round(retention_clv(100, 0.8, 0.1), 2)
266.67
"""

from crmkit.clv._bgnbd import BGNBD
from crmkit.clv._gammagamma import GammaGamma
from crmkit.clv._generate import CDNOW_TRUTH, make_transactions
from crmkit.clv._value import lifetime_value, retention_clv

__all__ = [
    "BGNBD",
    "CDNOW_TRUTH",
    "GammaGamma",
    "lifetime_value",
    "make_transactions",
    "retention_clv",
]
