"""Helpers on graphs given as edge arrays (end nodes and weights), shared by the street graph
and the Steiner solvers."""

from __future__ import annotations

import numpy as np


def shortest_per_pair(lo: np.ndarray, hi: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Positions of the shortest edge of each node pair ``(lo, hi)``, ordered by pair.

    Of parallel edges of equal weight the first is kept. Pass ``lo <= hi`` for undirected
    edges.

    Examples
    --------
    >>> shortest_per_pair(np.array([0, 0, 1]), np.array([1, 1, 2]), np.array([5.0, 3.0, 1.0]))
    array([1, 2])
    """
    order = np.lexsort((weight, hi, lo))
    a, b = lo[order], hi[order]
    first = np.ones(len(order), bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    return order[first]
