"""Shared tools for the adversarial tests: bad inputs, and what a good error looks like.

Every public entry point must answer bad input with a crmkit ``ValueError`` subclass
whose message names the argument, shows the value and says how to fix it.
:func:`assert_clear_error` checks all three; the strategies below generate the inputs
(NaN, ±inf, 0, negatives, 1e308, strings and bools where numbers belong, None, ...).

Each test module of this kind marks its tests ``adversarial`` and lists the public
functions it covers in a module-level ``COVERS`` tuple, so that
``tests/test_adversarial_coverage.py`` can count them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st

from crmkit.errors import CrmkitError

#: verbs a fix starts with ("pass a number above zero", "round it first", ...)
FIX_WORDS = (
    "pass",
    "use",
    "reduce",
    "round",
    "rename",
    "choose",
    "convert",
    "drop",
    "fill",
    "set",
    "fit",
    "lower",
    "raise",
    "add",
    "shorten",
    "write",
    "increase",
    "check",
    "split",
    "give",
    "remove",
    "swap",
    "call",
    "shrink",
    "make",
    "put",
    "start",
    "sort",
    "delete",
    "empty",
    "keep",
)
_FIX = re.compile(r"\b(" + "|".join(FIX_WORDS) + r")\b", re.IGNORECASE)

#: numbers that are wrong for a positive rate, time or count
BAD_POSITIVE = [0.0, -1.0, -1e-12, math.nan, math.inf, -math.inf]
#: values of the wrong type where a number belongs
NOT_NUMBERS = ["3", "1e3", "", True, False, None, [1.0], {"a": 1}, b"3", 1 + 2j]
#: numbers too large for the machine to serve
HUGE = [1e308, 1e20, 10**12]


def stable_id(value: Any) -> str:
    """A parametrize id that is the same in every process (pytest-xdist compares the
    workers' collections): the repr, with memory addresses replaced."""
    try:
        text = repr(value)
    except Exception:  # a value whose own repr is broken
        return f"<{type(value).__name__}>"
    return re.sub(r" at 0x[0-9A-Fa-f]+", "", text)[:60]


def bad_numbers(*, allow_zero: bool = False) -> st.SearchStrategy[Any]:
    """A strategy of values that must be refused where a positive number belongs."""
    values = [v for v in BAD_POSITIVE if not (allow_zero and v == 0)]
    return st.one_of(
        st.sampled_from(values + NOT_NUMBERS),
        st.floats(max_value=-1e-300, allow_nan=False, allow_infinity=False),
        st.text(max_size=5),
        st.booleans(),
    )


def shown(value: Any) -> list[str]:
    """The ways a message may show ``value`` (repr, ``str``, ``:g``)."""
    forms = [repr(value), str(value)]
    if isinstance(value, float | int | np.floating | np.integer) and not isinstance(
        value, bool
    ):
        x = float(value)
        forms += [f"{x:g}", f"{x:.3g}", repr(x), f"{x:,}"]
        if x.is_integer() and math.isfinite(x):
            forms += [str(int(x)), f"{int(x):,}"]
    return forms


def assert_clear_error(
    call: Callable[[], Any],
    name: str,
    value: Any = None,
    *,
    show_value: bool = True,
) -> CrmkitError:
    """Run ``call``; assert it raises a crmkit error naming ``name``, showing ``value``
    and saying how to fix it. Returns the error for further checks."""
    with pytest.raises(CrmkitError) as info:
        call()
    err = info.value
    assert isinstance(err, ValueError)
    message = str(err)
    assert name in message, f"message does not name {name!r}: {message}"
    if show_value:
        assert any(form in message for form in shown(value)), (
            f"message does not show the value {value!r}: {message}"
        )
    assert _FIX.search(message.split(name, 1)[-1]) or _FIX.search(message), (
        f"message does not say how to fix it: {message}"
    )
    return err
