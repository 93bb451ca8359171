"""Customer lifetime value (客户终身价值): BG/NBD, Gamma-Gamma, BG/BB, sBG and the
retention formula.

- :class:`BGNBD` — how many purchases a customer will make, and P(alive).
- :class:`MBGNBD` — the modified BG/NBD (may drop out at the first purchase).
- :class:`ParetoNBD` — the Pareto/NBD (may drop out at any time); DERT and CLV.
- :func:`make_pareto_nbd_summary` — synthetic customers drawn from the Pareto/NBD.
- :class:`GammaGamma` — how much a customer spends per purchase.
- :func:`lifetime_value` — the two combined into a discounted CLV per customer.
- :func:`retention_clv` — the textbook formula with constant margin and retention.
- :func:`loyalty_programme` (→ :class:`LoyaltyProgramme`) — a tiered loyalty
  programme's members, cost and break-even retention uplift per tier.
- :func:`make_transactions` — synthetic transactions drawn from the models.
- :class:`BGBB` — transactions at discrete opportunities (donations, yearly events).
- :class:`ShiftedBetaGeometric` — contract renewals: retention, survival, DERL.
- :func:`make_opportunity_summary`, :func:`make_renewals` — synthetic customers drawn
  from BG/BB and sBG.
- :func:`make_bgnbd_summary`, :func:`make_mbgnbd_summary`,
  :func:`make_gamma_gamma_summary`, :func:`make_opportunity_histories` — synthetic
  customers drawn from BG/NBD, MBG/NBD, Gamma-Gamma and (every opportunity) BG/BB.
- :func:`calibration_holdout`, :func:`holdout_by_frequency`, :func:`tracking`,
  :func:`compare_models`, :func:`opportunity_holdout` — fit on a calibration period,
  judge on the holdout (times, or discrete opportunities for BG/BB).
- :func:`alive_grid`, :func:`expected_grid` — P(alive) and expected purchases
  over (frequency, recency), the tables behind the heat maps.

Examples
--------
>>> from crmkit.clv import retention_clv
>>> round(retention_clv(100, 0.8, 0.1), 2)
266.67
"""

from crmkit.clv._bgbb import BGBB
from crmkit.clv._bgnbd import BGNBD
from crmkit.clv._compare import compare_models
from crmkit.clv._gammagamma import GammaGamma
from crmkit.clv._generate import CDNOW_TRUTH, make_transactions
from crmkit.clv._generate_discrete import (
    make_opportunity_histories,
    make_opportunity_summary,
    make_renewals,
)
from crmkit.clv._generate_summary import (
    make_bgnbd_summary,
    make_gamma_gamma_summary,
    make_mbgnbd_summary,
)
from crmkit.clv._grids import alive_grid, expected_grid
from crmkit.clv._holdout import calibration_holdout, holdout_by_frequency, tracking
from crmkit.clv._holdout_discrete import opportunity_holdout
from crmkit.clv._loyalty import LoyaltyProgramme, loyalty_programme
from crmkit.clv._mbgnbd import MBGNBD
from crmkit.clv._pareto_nbd import ParetoNBD, make_pareto_nbd_summary
from crmkit.clv._sbg import ShiftedBetaGeometric
from crmkit.clv._value import lifetime_value, retention_clv

__all__ = [
    "BGBB",
    "BGNBD",
    "CDNOW_TRUTH",
    "MBGNBD",
    "GammaGamma",
    "LoyaltyProgramme",
    "ParetoNBD",
    "ShiftedBetaGeometric",
    "alive_grid",
    "calibration_holdout",
    "compare_models",
    "expected_grid",
    "holdout_by_frequency",
    "lifetime_value",
    "loyalty_programme",
    "make_bgnbd_summary",
    "make_gamma_gamma_summary",
    "make_mbgnbd_summary",
    "make_opportunity_histories",
    "make_opportunity_summary",
    "make_pareto_nbd_summary",
    "make_renewals",
    "make_transactions",
    "opportunity_holdout",
    "retention_clv",
    "tracking",
]
