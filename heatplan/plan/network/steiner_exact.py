"""The exact Steiner tree: a directed cut MILP with cut generation, solved by HiGHS.

:func:`steiner_tree_exact` takes the same arguments as
:func:`heatplan.plan.network.steiner.steiner_tree_approx` and returns a
:class:`~heatplan.plan.network.steiner.SteinerResult` with a lower bound. Safe reductions
come first (non-terminal leaves removed, non-terminal degree-2 chains contracted, parallel edges
reduced to the shortest, nodes too far from every terminal dropped).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csgraph

from heatplan.plan.network.steiner import (
    SimpleGraph,
    SteinerResult,
    prune_leaves,
    steiner_tree_approx,
    tree_length,
)

logger = logging.getLogger(__name__)

_Row = tuple[np.ndarray, np.ndarray, float, float]
"""One constraint row of the MILP: arc positions, coefficients, lower and upper bound."""


def _reduce(g: SimpleGraph, is_term: np.ndarray, root: int, live_mask: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    """Safe reductions: keep the root's piece, drop non-terminal leaves, contract degree-2
    non-terminal chains, keep the shortest of parallel edges.

    Returns super-edge arrays ``a``, ``b``, ``w`` and, per super-edge, its simple edges.
    """
    _, label = csgraph.connected_components(g.adj, directed=True, connection="weak")
    ok = label[g.a] == label[root]
    if live_mask is not None:
        ok &= live_mask
    live = prune_leaves(g.n, g.a, g.b, np.flatnonzero(ok), is_term)
    inc: dict[int, list[int]] = {}
    for e in live.tolist():
        inc.setdefault(int(g.a[e]), []).append(e)
        inc.setdefault(int(g.b[e]), []).append(e)
    done: set[int] = set()
    out: dict[tuple[int, int], tuple[float, np.ndarray]] = {}
    for e0 in live.tolist():
        if e0 in done:
            continue
        # extend the chain through degree-2 non-terminals on both sides
        chain = [e0]
        done.add(e0)
        ends = []
        for start in (int(g.a[e0]), int(g.b[e0])):
            node, prev = start, e0
            while not is_term[node] and len(inc[node]) == 2:
                nxt = inc[node][0] if inc[node][1] == prev else inc[node][1]
                if nxt in done:
                    break
                done.add(nxt)
                chain.append(nxt)
                node = int(g.b[nxt]) if g.a[nxt] == node else int(g.a[nxt])
                prev = nxt
            ends.append(node)
        x, y = min(ends), max(ends)
        if x == y:
            continue
        w = float(g.w[chain].sum())
        if (x, y) not in out or out[(x, y)][0] > w:
            out[(x, y)] = (w, np.asarray(chain))
    keys = list(out)
    a = np.array([k[0] for k in keys], dtype=np.int64)
    b = np.array([k[1] for k in keys], dtype=np.int64)
    w = np.array([out[k][0] for k in keys])
    return a, b, w, [out[k][1] for k in keys]


def _back_cuts(n: int, tail: np.ndarray, head: np.ndarray, x: np.ndarray, root: int,
               sink: int, nested: int = 5) -> list[np.ndarray]:
    """Violated root-sink cuts of the LP point ``x``, as masks of nodes on the sink side.

    Each is the sink side of a minimum cut (nodes that still reach the sink in the residual
    graph); after each cut its arcs are raised to capacity 1 and the next one is sought
    (nested cuts), up to ``nested`` cuts.
    """
    scale = 1_000_000
    cap = np.round(np.clip(x, 0, 1) * scale).astype(np.int64)
    sides = []
    for _ in range(nested):
        mat = sparse.csr_matrix((cap.astype(np.int32), (tail, head)), shape=(n, n))
        flow = csgraph.maximum_flow(mat, root, sink)
        if flow.flow_value >= scale - 1000:
            break
        f = np.asarray(flow.flow[tail, head]).ravel()
        # reversed residual arcs: j -> i where i -> j has spare capacity, i -> j where it has flow
        spare = np.r_[cap - f > 0, f > 0]
        rev = sparse.csr_matrix(
            (spare.astype(float), (np.r_[head, tail], np.r_[tail, head])), shape=(n, n)
        )
        rev.eliminate_zeros()
        reach = csgraph.breadth_first_order(rev, sink, directed=True, return_predecessors=False)
        side = np.zeros(n, bool)
        side[reach] = True
        if side[root]:
            break
        sides.append(side)
        cap[~side[tail] & side[head]] = scale
    return sides


@dataclass(frozen=True)
class _ArcProblem:
    """The reduced instance as arcs: both directions of every super-edge.

    Nodes are ``0 .. n-1`` (the kept nodes of the simple graph, renumbered); arc ``k`` runs
    from ``tail[k]`` to ``head[k]`` and costs ``cost[k]``; arcs ``k`` and ``k + m`` are the two
    directions of super-edge ``k``, made of the simple edges ``chains[k]``.
    """

    n: int
    m: int
    tail: np.ndarray
    head: np.ndarray
    cost: np.ndarray
    term: np.ndarray
    """Per node: it is a terminal."""
    root: int
    chains: list[np.ndarray]


def _arc_problem(g: SimpleGraph, terminals: np.ndarray, is_term: np.ndarray, root: int,
                 upper: float) -> _ArcProblem:
    """Reduce the instance (:func:`_reduce`) and state it as arcs.

    Nodes ``v`` with ``2 * d(v, nearest terminal) > upper`` (``upper``: the length of a known
    tree) cannot be in an optimal tree and are dropped first.
    """
    d1 = csgraph.dijkstra(g.adj, directed=True, indices=terminals, min_only=True)
    far = (2 * d1 > upper * (1 + 1e-9)) & ~is_term
    a, b, w, chains = _reduce(g, is_term, root, ~(far[g.a] | far[g.b]))
    nodes = np.unique(np.r_[a, b, root])
    idx = np.full(g.n, -1, dtype=np.int64)
    idx[nodes] = np.arange(len(nodes))
    return _ArcProblem(
        n=len(nodes), m=len(a), tail=np.r_[idx[a], idx[b]], head=np.r_[idx[b], idx[a]],
        cost=np.r_[w, w], term=is_term[nodes], root=int(idx[root]), chains=chains,
    )


def _base_rows(p: _ArcProblem) -> list[_Row]:
    """The degree constraints: each non-root terminal is entered once, other nodes at most
    once and only if they are left; an arc leaves a non-root node only if the node is
    entered; at most one direction of each super-edge is used."""
    arcs = np.arange(2 * p.m)
    rows: list[_Row] = []
    order = np.argsort(p.head, kind="stable")
    starts = np.searchsorted(p.head[order], np.arange(p.n + 1))
    in_arcs = [order[starts[i]:starts[i + 1]] for i in range(p.n)]
    for i in range(p.n):
        ia = in_arcs[i]
        if i == p.root or len(ia) == 0:
            continue
        ones = np.ones(len(ia))
        if p.term[i]:
            rows.append((ia, ones, 1.0, 1.0))
        else:
            rows.append((ia, ones, 0.0, 1.0))
            oa = arcs[p.tail == i]
            rows.append((np.r_[ia, oa], np.r_[ones, -np.ones(len(oa))], -np.inf, 0.0))
    for k in arcs:  # an arc leaves a non-root node only if the node is entered
        ti = p.tail[k]
        if ti == p.root:
            continue
        ia = in_arcs[ti]
        rows.append((np.r_[k, ia], np.r_[1.0, -np.ones(len(ia))], -np.inf, 0.0))
    for k in range(p.m):
        rows.append((np.array([k, k + p.m]), np.ones(2), -np.inf, 1.0))
    return rows


class _CutModel:
    """The directed cut MILP of an :class:`_ArcProblem`: the degree constraints and the
    connectivity cuts ``x(δ⁻(S)) >= 1`` found so far."""

    def __init__(self, p: _ArcProblem) -> None:
        self.p = p
        self.n_arcs = 2 * p.m
        self.base_rows = _base_rows(p)
        self.cuts: list[np.ndarray] = []
        self.cut_keys: set[bytes] = set()
        self.upper_x = np.ones(self.n_arcs)
        self.upper_x[p.head == p.root] = 0.0

    def solve(self, integer: bool, limit: float):
        """Solve the LP relaxation or the MILP with the cuts so far (``limit``: seconds)."""
        na = self.n_arcs
        rows = self.base_rows + [(c, np.ones(len(c)), 1.0, np.inf) for c in self.cuts]
        ri = np.concatenate([np.full(len(c), j) for j, (c, _, _, _) in enumerate(rows)])
        ci = np.concatenate([c for c, _, _, _ in rows])
        vi = np.concatenate([v for _, v, _, _ in rows])
        mat = sparse.csr_matrix((vi, (ri, ci)), shape=(len(rows), na))
        con = LinearConstraint(mat, np.array([lo for *_, lo, _ in rows]),
                               np.array([hi for *_, hi in rows]))
        return milp(self.p.cost, constraints=con, integrality=np.full(na, int(integer)),
                    bounds=Bounds(np.zeros(na), self.upper_x),
                    options={"time_limit": max(limit, 1.0), "mip_rel_gap": 1e-7})

    def add_cut(self, side_root: np.ndarray) -> bool:
        """Add the cut of the arcs entering the complement of ``side_root`` (a node mask);
        False when it is empty or already there."""
        p = self.p
        cut = np.arange(self.n_arcs)[side_root[p.tail] & ~side_root[p.head]]
        key = cut.tobytes()
        if key in self.cut_keys or len(cut) == 0:
            return False
        self.cut_keys.add(key)
        self.cuts.append(cut)
        return True


def _lp_cut_phase(model: _CutModel, t0: float, time_limit_s: float) -> float:
    """Add minimum root-terminal cuts of the LP relaxation (max-flow) until none is violated,
    for at most half the time limit. Returns the best LP lower bound."""
    p = model.p
    lower = 0.0
    for _ in range(50):
        if time.perf_counter() - t0 > time_limit_s / 2:
            break
        res = model.solve(False, time_limit_s)
        if res.x is None:
            break
        lower = max(lower, float(res.fun))
        added = 0
        for t in np.flatnonzero(p.term):
            if t == p.root:
                continue
            for side in _back_cuts(p.n, p.tail, p.head, res.x, p.root, int(t)):
                added += model.add_cut(~side)
        if added == 0:
            break
    return lower


def _integer_phase(model: _CutModel, t0: float, time_limit_s: float, lower: float
                   ) -> tuple[np.ndarray | None, bool, float]:
    """Solve the MILP, adding connectivity cuts from disconnected integer solutions until the
    chosen arcs connect every terminal or time runs out.

    Returns the chosen arcs (None at the time limit), whether they are proven optimal and the
    best lower bound.
    """
    p = model.p
    while time.perf_counter() - t0 < time_limit_s:
        res = model.solve(True, time_limit_s - (time.perf_counter() - t0))
        if res.x is None:
            break
        bound = getattr(res, "mip_dual_bound", None)
        if bound is not None and np.isfinite(bound):
            lower = max(lower, float(bound))
        xs = res.x > 0.5
        sel = sparse.coo_matrix((np.ones(int(xs.sum())), (p.tail[xs], p.head[xs])),
                                shape=(p.n, p.n))
        _, lab = csgraph.connected_components(sel, directed=True, connection="weak")
        bad = np.flatnonzero(p.term & (lab != lab[p.root]))
        if len(bad) == 0:
            return xs, res.status == 0, lower
        for comp in np.unique(lab[bad]):
            model.add_cut(lab != comp)
    return None, False, lower


def steiner_tree_exact(
    n_nodes: int,
    u: np.ndarray,
    v: np.ndarray,
    weight: np.ndarray,
    terminals: np.ndarray,
    *,
    root: int | None = None,
    time_limit_s: float = 60.0,
) -> SteinerResult:
    """Solve the Steiner tree problem exactly: directed cut MILP with cut generation (HiGHS).

    After safe reductions (non-terminal leaves removed, degree-2 chains contracted, nodes
    farther than half the approximate tree length from every terminal dropped), arcs ``x`` are
    binary; each non-root terminal is entered once, other nodes at most once and only if they
    are left, an arc leaves a node only if the node is entered. Connectivity cuts
    ``x(δ⁻(S)) >= 1`` are added first from the LP relaxation (minimum root-terminal cuts by
    max-flow) and then from disconnected integer solutions until the tree is connected. When
    the time limit is reached the approximate tree is returned with the best lower bound found.

    Parameters and return as :func:`~heatplan.plan.network.steiner.steiner_tree_approx`.

    Raises
    ------
    TopologyError
        If the terminals are not all connected.
    """
    t0 = time.perf_counter()
    terminals = np.unique(np.asarray(terminals, dtype=np.int64))
    g = SimpleGraph(n_nodes, u, v, weight)
    if len(terminals) <= 1:
        return SteinerResult(np.empty(0, dtype=np.int64), 0.0, "trivial",
                             time.perf_counter() - t0, 0.0)
    root = int(terminals[0]) if root is None else int(root)
    is_term = np.zeros(n_nodes, bool)
    is_term[terminals] = True
    approx = steiner_tree_approx(n_nodes, u, v, weight, terminals, root=root)
    upper = approx.length
    p = _arc_problem(g, terminals, is_term, root, upper)
    model = _CutModel(p)
    lower = _lp_cut_phase(model, t0, time_limit_s)
    chosen_arcs, proven, lower = _integer_phase(model, t0, time_limit_s, lower)
    if chosen_arcs is None:
        logger.warning("Steiner MILP stopped at the time limit (%.0f s); returning the "
                       "approximate tree with lower bound %.1f", time_limit_s, lower)
        return SteinerResult(approx.edges, approx.length, "exact-milp (time limit)",
                             time.perf_counter() - t0, min(lower, approx.length))
    sup = np.flatnonzero(chosen_arcs[:p.m] | chosen_arcs[p.m:])
    simple = (np.concatenate([p.chains[k] for k in sup]) if len(sup)
              else np.empty(0, dtype=np.int64))
    simple = prune_leaves(g.n, g.a, g.b, simple, is_term)
    length = tree_length(g, simple)
    if proven:
        lower = max(lower, length * (1 - 1e-7))
    if length > upper:  # cannot happen when proven; keep the better tree otherwise
        return SteinerResult(approx.edges, approx.length, "exact-milp",
                             time.perf_counter() - t0, min(lower, approx.length))
    result = SteinerResult(np.sort(g.eid[simple]), length, "exact-milp",
                           time.perf_counter() - t0, min(lower, length))
    logger.debug("Steiner MILP: %d terminals, %d nodes, %d super-edges, %d cuts, %.1f "
                 "(bound %.1f), %.2f s", len(terminals), p.n, p.m, len(model.cuts), length,
                 result.lower_bound, result.runtime_s)
    return result
