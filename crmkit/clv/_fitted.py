"""What every fitted customer-base model holds: its parameters and the record of the
fit that found them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from scipy import optimize

from crmkit.clv._inputs import model_params

__all__ = ["FittedModel"]


@dataclass
class FittedModel:
    """Base of the maximum-likelihood models (BG/NBD, Gamma-Gamma).

    ``params_`` is set by hand or by ``fit``; hand-set parameters are checked when the
    model is made. A subclass names its parameters in ``NAMES``.

    Examples
    --------
    >>> @dataclass
    ... class Coin(FittedModel):
    ...     NAMES: ClassVar[tuple[str, ...]] = ("p",)
    >>> Coin(params_={"p": 0.5}).checked_params()
    {'p': 0.5}
    """

    #: the model's parameters, in the order of its formulas
    NAMES: ClassVar[tuple[str, ...]] = ()

    params_: dict[str, float] = field(default_factory=dict)
    log_likelihood_: float = math.nan
    gradient_norm_: float = field(default=math.nan, compare=False)
    optimizer_: optimize.OptimizeResult | None = field(
        default=None, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if self.params_:
            self.checked_params()

    def checked_params(self) -> dict[str, float]:
        """``params_`` checked: exactly :attr:`NAMES`, each positive and finite."""
        return model_params(type(self).__name__, self.params_, self.NAMES)

    def _keep_fit(
        self, params: dict[str, float], res: optimize.OptimizeResult, total: float
    ) -> None:
        """Record a fit: its parameters, log-likelihood and gradient norm (the
        optimiser works on the mean log-likelihood of ``total`` customers)."""
        self.params_ = params
        self.log_likelihood_ = -res.fun * total
        self.gradient_norm_ = float(np.linalg.norm(res.jac) * total)
        self.optimizer_ = res
