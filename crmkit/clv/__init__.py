"""Customer lifetime value (客户终身价值): BG/NBD, Gamma-Gamma, BG/BB, sBG and the
retention formula.

- :class:`BGNBD` — how many purchases a customer will make, and P(alive).
- :class:`GammaGamma` — how much a customer spends per purchase.
- :func:`lifetime_value` — the two combined into a discounted CLV per customer.
- :func:`retention_clv` — the textbook formula with constant margin and retention.
- :func:`make_transactions` — synthetic transactions drawn from the models.
- :class:`BGBB` — transactions at discrete opportunities (donations, yearly events).
- :class:`ShiftedBetaGeometric` — contract renewals: retention, survival, DERL.
- :func:`make_opportunity_summary`, :func:`make_renewals` — synthetic customers drawn
  from BG/BB and sBG.

Examples
--------
>>> from crmkit.clv import retention_clv
>>> round(retention_clv(100, 0.8, 0.1), 2)
266.67
"""

from crmkit.clv._bgbb import BGBB
from crmkit.clv._bgnbd import BGNBD
from crmkit.clv._gammagamma import GammaGamma
from crmkit.clv._generate import CDNOW_TRUTH, make_transactions
from crmkit.clv._generate_discrete import make_opportunity_summary, make_renewals
from crmkit.clv._sbg import ShiftedBetaGeometric
from crmkit.clv._value import lifetime_value, retention_clv

__all__ = [
    "BGBB",
    "BGNBD",
    "CDNOW_TRUTH",
    "GammaGamma",
    "ShiftedBetaGeometric",
    "lifetime_value",
    "make_opportunity_summary",
    "make_renewals",
    "make_transactions",
    "retention_clv",
]
