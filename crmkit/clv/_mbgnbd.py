"""The modified BG/NBD (MBG/NBD) model of repeat buying: the BG/NBD with a chance to
drop out right after the first purchase."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from crmkit.clv._bgnbd import _BGNBDFamily

__all__ = ["MBGNBD"]


@dataclass
class MBGNBD(_BGNBDFamily):
    """The modified beta-geometric / negative binomial model of Batislam, Denizel &
    Filiztekin (2007).

    While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); right
    after its first purchase and after each repeat purchase it drops out with
    probability p ~ Beta(a, b). Unlike the BG/NBD, a customer without repeat purchases
    may have dropped out already, so P(alive) < 1 for every customer.

    With x repeat purchases a customer alive at T has survived x + 1 chances to drop
    out (x in the BG/NBD), so every formula is the BG/NBD one with ``b + x + 1`` for
    ``b + x``; they are written once, in :mod:`crmkit.clv._bgnbd`:

    - likelihood ``A1 · (B(a, b+x+1) (α+T)^-(r+x) + B(a+1, b+x) (α+t_x)^-(r+x)) /
      B(a, b)`` with ``A1 = Γ(r+x) α^r / Γ(r)``, the second term for every x;
    - ``P(alive) = 1 / (1 + a / (b + x) · ((α + T) / (α + t_x))^(r+x))``;
    - ``E[X(t)] = b / (a − 1) · (1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t)))``;
    - ``E[Y(t) | x, t_x, T] = (a+b+x) / (a−1) · (1 − ((α+T)/(α+T+t))^(r+x)
      2F1(r+x, b+x+1; a+b+x; t/(α+T+t))) · P(alive)``;
    - ``P(X(t) = n) = B(a, b+n+1)/B(a, b) NB(n) + B(a+1, b+n)/B(a, b) P(NB >= n)``,
      with NB(n) the negative binomial of FHL (2005, eq. 8).

    The fit, its accuracy and its attributes are those of :class:`~crmkit.clv.BGNBD`
    (maximum likelihood in log space with analytic gradients, Newton steps to the
    optimum, standard errors from the observed information; :meth:`summary`), and
    so are the methods: ``expected_purchases``, ``expected_purchases_new``,
    ``prob_alive``, ``prob_purchases``, ``dert`` and ``clv``.

    References
    ----------
    E. P. Batislam, M. Denizel and A. Filiztekin (2007), "Empirical validation and
    comparison of models for customer base analysis", *International Journal of Research
    in Marketing* 24(3):201–209: the model and its likelihood, E[X(t)], P(alive)
    (Appendix A, eq. 5) and E[Y(t) | x, t_x, T]. U. Wagner and D. Hoppe (2008), "Erratum
    on the MBG/NBD model", *International Journal of Research in Marketing*
    25(3):225–226: the corrected expressions. P. S. Fader, B. G. S. Hardie and K. L. Lee
    (2005), "Counting your customers the easy way: an alternative to the Pareto/NBD
    model", *Marketing Science* 24(2):275–284: the BG/NBD expressions modified (eqs. 6,
    8, 9, 10). DERT: P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "RFM and CLV:
    using iso-value curves for customer base analysis", *Journal of Marketing Research*
    42(4):415–430.

    Examples
    --------
    On the CDNOW sample (weeks), with standard errors and 95 % intervals from the
    observed information:

    >>> from crmkit.datasets import load_cdnow
    >>> from crmkit.segmentation import customer_summary
    >>> s = customer_summary(load_cdnow(sample=True), as_of="1997-09-30",
    ...                      time_unit="W")
    >>> m = MBGNBD().fit(s["frequency"], s["recency"], s["T"])
    >>> m.summary().round(3)  # doctest: +NORMALIZE_WHITESPACE
               estimate  std_error  lower  upper
    parameter
    r             0.525      0.083  0.385  0.716
    alpha         6.183      0.696  4.960  7.708
    a             0.891      0.155  0.634  1.253
    b             1.614      0.537  0.840  3.100
    >>> round(m.log_likelihood_, 2)
    -9582.14

    A customer with no repeat purchase may be gone already:

    >>> m.prob_alive([0, 2], [0.0, 30.43], [38.86, 38.86]).round(4).tolist()
    [0.3897, 0.7061]
    """

    _SHIFT: ClassVar[int] = 1
    _LABEL: ClassVar[str] = "MBG/NBD"
