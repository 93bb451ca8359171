"""A generic continuous-time Markov chain solver over an explicit state space, for the
queue tests (no crmkit code is used here).

A model is given by its initial state and a ``moves(state)`` function that lists the
transitions ``(next_state, rate)`` out of a state. :func:`explore` enumerates every
reachable state by breadth-first search; :func:`stationary` builds the dense generator
and solves πQ = 0, Σπ = 1 with ``numpy.linalg.solve`` (the last balance equation
replaced by the normalisation). States are any hashable values (tuples, say), so the
same solver checks Erlang X, chat, blending or callback models state by state, with
nothing shared with the product-form or recursive formulas in crmkit.

Examples
--------
>>> moves = lambda n: ([(n + 1, 2.0)] if n < 3 else []) + ([(n - 1, 1.0 * n)] if n else [])
>>> states, pi = stationary(0, moves)
>>> pi.round(6).tolist()  # Erlang B chain with a = 2, c = 3
[0.157895, 0.315789, 0.315789, 0.210526]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable

import numpy as np

Moves = Callable[[Hashable], Iterable[tuple[Hashable, float]]]


def explore(
    initial: Hashable, moves: Moves, max_states: int = 20_000
) -> list[Hashable]:
    """Every state reachable from ``initial``, in breadth-first order."""
    seen = {initial: 0}
    order = [initial]
    todo = deque([initial])
    while todo:
        s = todo.popleft()
        for nxt, rate in moves(s):
            if rate > 0 and nxt not in seen:
                if len(order) >= max_states:
                    raise RuntimeError(
                        f"more than {max_states} states; truncate the model"
                    )
                seen[nxt] = len(order)
                order.append(nxt)
                todo.append(nxt)
    return order


def generator(states: list[Hashable], moves: Moves) -> np.ndarray:
    """The dense generator Q over ``states`` (rows sum to zero)."""
    index = {s: i for i, s in enumerate(states)}
    q = np.zeros((len(states), len(states)))
    for i, s in enumerate(states):
        for nxt, rate in moves(s):
            if rate > 0 and nxt != s:
                q[i, index[nxt]] += rate
    np.fill_diagonal(q, -q.sum(axis=1))
    return q


def stationary(
    initial: Hashable, moves: Moves, max_states: int = 20_000
) -> tuple[list[Hashable], np.ndarray]:
    """The reachable states and their stationary probabilities."""
    states = explore(initial, moves, max_states)
    a = generator(states, moves).T.copy()
    a[-1, :] = 1.0
    b = np.zeros(len(states))
    b[-1] = 1.0
    pi = np.linalg.solve(a, b)
    pi = np.clip(pi, 0.0, None)
    return states, pi / pi.sum()


def expect(
    states: list[Hashable], pi: np.ndarray, f: Callable[[Hashable], float]
) -> float:
    """E[f(state)] under π."""
    return float(sum(p * f(s) for s, p in zip(states, pi, strict=True)))
