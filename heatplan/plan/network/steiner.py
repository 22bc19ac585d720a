"""Steiner trees on a weighted undirected graph given as edge arrays.

Two solvers:

* :func:`steiner_tree_approx` — Mehlhorn's 2-approximation (Voronoi regions of the terminals from
  one multi-source Dijkstra, MST of the bridging edges, paths expanded) computed with
  :mod:`scipy.sparse.csgraph`, then improved: MST of the subgraph induced by the tree's nodes,
  pruning of non-terminal leaves, and key-path exchange (each path between key nodes is
  replaced by a shorter path that reconnects the two halves, found by a bounded Dijkstra).
* :func:`steiner_tree_exact` — a directed cut formulation with cut generation, solved by HiGHS
  (:func:`scipy.optimize.milp`) after safe reductions (non-terminal leaves removed, non-terminal
  degree-2 chains contracted, parallel edges reduced to the shortest).

Both take ``n_nodes``, edge arrays ``u``, ``v``, ``weight`` and the terminal node ids, and return a
:class:`SteinerResult` naming the chosen edges by their position in the input arrays.
"""

from __future__ import annotations

import heapq
import logging
import time
from collections import deque
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csgraph

from heatplan.core.errors import TopologyError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SteinerResult:
    """A Steiner tree: the chosen edges (positions in the input arrays) and its length."""

    edges: np.ndarray
    length: float
    method: str
    runtime_s: float
    lower_bound: float | None = None
    """A proven lower bound on the optimum (exact method), same unit as the weights."""

    @property
    def gap(self) -> float | None:
        """Relative gap to the lower bound (0 when proven optimal); None without a bound."""
        if self.lower_bound is None:
            return None
        return (self.length - self.lower_bound) / max(self.length, 1e-12)


def _first_of_runs(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mask of the first row of each run of equal (x, y) pairs in sorted arrays."""
    first = np.ones(len(x), bool)
    first[1:] = (x[1:] != x[:-1]) | (y[1:] != y[:-1])
    return first


class _Simple:
    """The simple graph behind the input: shortest of parallel edges, no self-loops."""

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> None:
        u = np.asarray(u, dtype=np.int64)
        v = np.asarray(v, dtype=np.int64)
        w = np.maximum(np.asarray(w, dtype=float), 1e-9)
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        ok = np.flatnonzero(lo != hi)
        order = ok[np.lexsort((w[ok], hi[ok], lo[ok]))]
        first = _first_of_runs(lo[order], hi[order])
        self.eid = order[first]  # input edge id of each simple edge
        self.n = n
        self.a = lo[self.eid]
        self.b = hi[self.eid]
        self.w = w[self.eid]
        self.key = self.a * n + self.b  # sorted ascending
        self.adj = sparse.csr_matrix(
            (np.r_[self.w, self.w], (np.r_[self.a, self.b], np.r_[self.b, self.a])),
            shape=(n, n),
        )
        self.adj.sort_indices()

    def edge_index(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Simple-edge index of each node pair."""
        key = np.minimum(x, y) * self.n + np.maximum(x, y)
        return np.searchsorted(self.key, key)


def _prune(n: int, a: np.ndarray, b: np.ndarray, edges: np.ndarray, is_term: np.ndarray
           ) -> np.ndarray:
    """Remove non-terminal leaves repeatedly; ``edges`` index ``a``/``b``."""
    edges = np.asarray(edges)
    if len(edges) == 0:
        return edges
    deg = np.bincount(np.r_[a[edges], b[edges]], minlength=n)
    inc: dict[int, list[int]] = {}
    for e in edges.tolist():
        inc.setdefault(int(a[e]), []).append(e)
        inc.setdefault(int(b[e]), []).append(e)
    alive = dict.fromkeys(edges.tolist(), True)
    queue = deque(int(x) for x in np.flatnonzero((deg == 1) & ~is_term))
    while queue:
        x = queue.popleft()
        if deg[x] != 1 or is_term[x]:
            continue
        for e in inc[x]:
            if alive[e]:
                alive[e] = False
                y = int(b[e]) if a[e] == x else int(a[e])
                deg[x] -= 1
                deg[y] -= 1
                if deg[y] == 1 and not is_term[y]:
                    queue.append(y)
                break
    return np.array([e for e, ok in alive.items() if ok], dtype=np.int64)


def _mst_prune(g: _Simple, nodes: np.ndarray, is_term: np.ndarray) -> np.ndarray:
    """MST of the subgraph induced by ``nodes``, then non-terminal leaves pruned."""
    inside = np.zeros(g.n, bool)
    inside[nodes] = True
    sub = np.flatnonzero(inside[g.a] & inside[g.b])
    mat = sparse.coo_matrix((g.w[sub], (g.a[sub], g.b[sub])), shape=(g.n, g.n)).tocsr()
    mst = csgraph.minimum_spanning_tree(mat).tocoo()
    chosen = g.edge_index(mst.row.astype(np.int64), mst.col.astype(np.int64))
    return _prune(g.n, g.a, g.b, chosen, is_term)


def _mehlhorn(g: _Simple, terminals: np.ndarray) -> np.ndarray:
    """Mehlhorn's approximation; returns simple-edge indices (before MST/pruning)."""
    dist, pred, src = csgraph.dijkstra(
        g.adj, directed=True, indices=terminals, min_only=True, return_predecessors=True
    )
    su, sv = src[g.a], src[g.b]
    bridge = np.flatnonzero((su != sv) & (su >= 0) & (sv >= 0))
    tpos = np.full(g.n, -1, dtype=np.int64)
    tpos[terminals] = np.arange(len(terminals))
    x, y = tpos[su[bridge]], tpos[sv[bridge]]
    lo, hi = np.minimum(x, y), np.maximum(x, y)
    cost = dist[g.a[bridge]] + g.w[bridge] + dist[g.b[bridge]]
    order = np.lexsort((cost, hi, lo))
    first = _first_of_runs(lo[order], hi[order])
    pick = order[first]
    t = len(terminals)
    g1 = sparse.coo_matrix((cost[pick], (lo[pick], hi[pick])), shape=(t, t)).tocsr()
    mst = csgraph.minimum_spanning_tree(g1).tocoo()
    if mst.nnz < t - 1:
        msg = "terminals are not all connected in the graph"
        raise TopologyError(msg)
    pair_key = lo[pick] * t + hi[pick]
    sort = np.argsort(pair_key)
    mk = np.minimum(mst.row, mst.col).astype(np.int64) * t + np.maximum(mst.row, mst.col)
    used = bridge[pick[sort[np.searchsorted(pair_key[sort], mk)]]]
    chosen = [used]
    seen = np.zeros(g.n, bool)
    seen[terminals] = True
    walk_x: list[int] = []
    walk_y: list[int] = []
    for start in np.r_[g.a[used], g.b[used]].tolist():
        node = start
        while not seen[node]:
            seen[node] = True
            p = int(pred[node])
            walk_x.append(node)
            walk_y.append(p)
            node = p
    if walk_x:
        chosen.append(g.edge_index(np.asarray(walk_x), np.asarray(walk_y)))
    return np.unique(np.concatenate(chosen))


def _tree_nodes(g: _Simple, edges: np.ndarray) -> np.ndarray:
    return np.unique(np.r_[g.a[edges], g.b[edges]])


def _length(g: _Simple, edges: np.ndarray) -> float:
    return float(g.w[edges].sum())


def _rooted(g: _Simple, edges: np.ndarray, is_term: np.ndarray, root: int
            ) -> tuple[list[tuple[float, int, int]], np.ndarray, np.ndarray, np.ndarray]:
    """Root the tree.

    Returns its key paths (paths between terminals or branch nodes through degree-2 Steiner
    nodes), longest first, as (length, lower key node, upper key node); each node's parent,
    depth-first position (-1 off the tree) and subtree size.
    """
    tree = sparse.coo_matrix(
        (np.r_[g.w[edges], g.w[edges]],
         (np.r_[g.a[edges], g.b[edges]], np.r_[g.b[edges], g.a[edges]])), shape=(g.n, g.n)
    ).tocsr()
    order, parent = csgraph.breadth_first_order(tree, root, directed=True)
    dfs, _ = csgraph.depth_first_order(tree, root, directed=True)
    pos = np.full(g.n, -1, dtype=np.int64)
    pos[dfs] = np.arange(len(dfs))
    parent = parent.astype(np.int64)
    child = order[1:]
    up_w = np.zeros(g.n)
    up_w[child] = g.w[g.edge_index(child, parent[child])]
    # depth (distance from the root) and hop count; subtree sizes summed level by level
    depth = csgraph.dijkstra(tree, directed=True, indices=root)
    hops = csgraph.dijkstra(tree, directed=True, indices=root, unweighted=True)
    hop = np.where(np.isfinite(hops), hops, -1).astype(np.int64)
    levels = np.argsort(hop[child], kind="stable")
    by_level = child[levels]
    bounds = np.flatnonzero(np.diff(np.r_[-1, hop[by_level], -2]))
    level_nodes = [by_level[a:b] for a, b in pairwise(bounds.tolist())]
    size = np.zeros(g.n, dtype=np.int64)
    size[order] = 1
    for nodes in reversed(level_nodes):
        np.add.at(size, parent[nodes], size[nodes])
    deg = np.diff(tree.indptr)
    is_key = is_term | (deg >= 3)
    is_key[root] = True
    # nearest key node above each key node, by pointer jumping over non-key ancestors
    keys = child[is_key[child]]
    upper = parent[keys]
    while True:
        open_ = ~is_key[upper]
        if not open_.any():
            break
        upper[open_] = parent[upper[open_]]
    length = depth[keys] - depth[upper]
    srt = np.argsort(-length, kind="stable")
    paths = list(zip(length[srt].tolist(), keys[srt].tolist(), upper[srt].tolist(),
                     strict=True))
    return paths, parent, pos, size


def _bounded_search(
    adj: tuple[list[int], list[int], list[float]], sources: list[int], limit: float,
    pos: list[int], lo: int, hi: int, free: set[int], from_inside: bool,
) -> tuple[float, list[int]] | None:
    """Shortest path shorter than ``limit`` between the two halves of the tree split at a key
    path, through nodes off the tree or in ``free`` (the key path's interior); None when there
    is none.

    One half is the subtree with depth-first positions in ``[lo, hi)``, the other the rest of
    the tree; the search starts from ``sources`` in the inside half when ``from_inside``, else
    in the outside half. A local heap search: it only visits the few nodes within ``limit`` of
    the sources, where a :func:`scipy.sparse.csgraph.dijkstra` call would pay a set-up cost
    over the whole graph.
    """
    indptr, indices, data = adj
    heap = [(0.0, s, -1) for s in sources]
    heapq.heapify(heap)
    done: dict[int, int] = {}
    while heap:
        d, x, p = heapq.heappop(heap)
        if x in done:
            continue
        done[x] = p
        px = pos[x]
        if px >= 0 and x not in free and (lo <= px < hi) != from_inside:
            path = [x]
            while done[path[-1]] >= 0:
                path.append(done[path[-1]])
            return d, path
        for k in range(indptr[x], indptr[x + 1]):
            y = indices[k]
            nd = d + data[k]
            if nd >= limit or y in done:
                continue
            py = pos[y]
            if py >= 0 and y not in free and (lo <= py < hi) == from_inside:
                continue  # a node of the source half: already a source
            heapq.heappush(heap, (nd, y, x))
    return None


def _key_path_exchange(
    g: _Simple, edges: np.ndarray, is_term: np.ndarray, root: int, max_paths: int
) -> tuple[np.ndarray, int]:
    """Key-path exchange over the ``max_paths`` longest key paths.

    Each key path is taken out in turn; the shortest path from the lower half (the subtree
    below it) back to the rest of the tree is sought within the key path's length, starting
    only from nodes with an edge off the tree; when shorter, it replaces the key path.
    Returns the improved edges and the number of exchanges made.
    """
    adj = (g.adj.indptr.tolist(), g.adj.indices.tolist(), g.adj.data.tolist())
    graph_deg = np.diff(g.adj.indptr)
    tried: set[tuple[int, int]] = set()
    n_exchanges = 0
    while True:
        paths, parent, pos, size = _rooted(g, edges, is_term, root)
        tree_deg = np.bincount(np.r_[g.a[edges], g.b[edges]], minlength=g.n)
        in_tree = pos >= 0
        exits = np.flatnonzero(in_tree & (graph_deg > tree_deg))
        exit_pos = pos[exits]
        # shortest edge off the tree at each node: a replacement path is at least that long
        off = np.ones(len(g.a), bool)
        off[edges] = False
        min_off = np.full(g.n, np.inf)
        np.minimum.at(min_off, g.a[off], g.w[off])
        np.minimum.at(min_off, g.b[off], g.w[off])
        exit_min = min_off[exits]
        pos_l = pos.tolist()
        parent_l = parent.tolist()
        n_tree = int(in_tree.sum())
        changed = False
        for length, lower, upper in paths[:max_paths]:
            if (lower, upper) in tried:
                continue
            tried.add((lower, upper))
            lo = pos_l[lower]
            hi = lo + int(size[lower])
            interior = []
            node = parent_l[lower]
            while node != upper:
                interior.append(node)
                node = parent_l[node]
            free = set(interior)
            inside = (exit_pos >= lo) & (exit_pos < hi)
            from_inside = 2 * (hi - lo) <= n_tree
            side = inside if from_inside else ~inside
            starts = exits[side & (exit_min < length)].tolist()
            # the key path's own end on the source side: the new path may reuse part of it
            starts = [x for x in starts if x not in free]
            if interior:
                starts.append(lower if from_inside else upper)
            if not starts:
                continue
            found = _bounded_search(adj, starts, length - 1e-6 * max(length, 1.0),
                                    pos_l, lo, hi, free, from_inside)
            if found is None:
                continue
            _, walk = found
            w_arr = np.asarray(walk)
            new_e = g.edge_index(w_arr[:-1], w_arr[1:])
            path_nodes = np.asarray([lower, *interior, upper])
            pe = g.edge_index(path_nodes[:-1], path_nodes[1:])
            edges = np.union1d(np.setdiff1d(edges, pe), new_e)
            n_exchanges += 1
            changed = True
            break
        if not changed:
            return edges, n_exchanges


def steiner_tree_approx(
    n_nodes: int,
    u: np.ndarray,
    v: np.ndarray,
    weight: np.ndarray,
    terminals: np.ndarray,
    *,
    improve: int = 3,
    root: int | None = None,
    max_key_paths: int = 500,
) -> SteinerResult:
    """Approximate a minimum Steiner tree (Mehlhorn, then improved).

    Parameters
    ----------
    n_nodes
        Number of nodes; node ids are ``0 .. n_nodes-1``.
    u, v, weight
        Edge end nodes and non-negative weights (e.g. metres of new trench).
    terminals
        Node ids the tree must connect (at least one).
    improve
        Rounds of improvement (MST re-spanning, pruning, key-path exchange); 0 gives plain
        Mehlhorn followed by MST and pruning.
    root
        Terminal used as the root of the key-path search (default: the first terminal).
    max_key_paths
        Key paths tried per round, longest first (bounds the time on large instances).

    Returns
    -------
    SteinerResult
        The chosen edges as positions in ``u``/``v``/``weight``.

    Raises
    ------
    TopologyError
        If the terminals are not all in one connected piece of the graph.
    """
    t0 = time.perf_counter()
    terminals = np.unique(np.asarray(terminals, dtype=np.int64))
    g = _Simple(n_nodes, u, v, weight)
    if len(terminals) <= 1:
        return SteinerResult(np.empty(0, dtype=np.int64), 0.0, "trivial",
                             time.perf_counter() - t0)
    is_term = np.zeros(n_nodes, bool)
    is_term[terminals] = True
    edges = _mehlhorn(g, terminals)
    edges = _mst_prune(g, _tree_nodes(g, edges), is_term)
    root = int(terminals[0]) if root is None else int(root)
    exchanges = 0
    for _ in range(improve):
        before = _length(g, edges)
        edges, k = _key_path_exchange(g, edges, is_term, root, max_key_paths)
        exchanges += k
        edges = _mst_prune(g, _tree_nodes(g, edges), is_term)
        if _length(g, edges) >= before - 1e-9:
            break
    result = SteinerResult(np.sort(g.eid[edges]), _length(g, edges),
                           "mehlhorn+improve" if improve else "mehlhorn",
                           time.perf_counter() - t0)
    logger.debug("Steiner approximation: %d terminals, %.1f, %d key-path exchanges, %.2f s",
                 len(terminals), result.length, exchanges, result.runtime_s)
    return result


# ---------------------------------------------------------------------------------------------
# exact


def _reduce(g: _Simple, is_term: np.ndarray, root: int, live_mask: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    """Safe reductions: keep the root's piece, drop non-terminal leaves, contract degree-2
    non-terminal chains, keep the shortest of parallel edges.

    Returns super-edge arrays ``a``, ``b``, ``w`` and, per super-edge, its simple edges.
    """
    _, label = csgraph.connected_components(g.adj, directed=True, connection="weak")
    ok = label[g.a] == label[root]
    if live_mask is not None:
        ok &= live_mask
    live = _prune(g.n, g.a, g.b, np.flatnonzero(ok), is_term)
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

    Parameters and return as :func:`steiner_tree_approx`.

    Raises
    ------
    TopologyError
        If the terminals are not all connected.
    """
    t0 = time.perf_counter()
    terminals = np.unique(np.asarray(terminals, dtype=np.int64))
    g = _Simple(n_nodes, u, v, weight)
    if len(terminals) <= 1:
        return SteinerResult(np.empty(0, dtype=np.int64), 0.0, "trivial",
                             time.perf_counter() - t0, 0.0)
    root = int(terminals[0]) if root is None else int(root)
    is_term = np.zeros(n_nodes, bool)
    is_term[terminals] = True
    approx = steiner_tree_approx(n_nodes, u, v, weight, terminals, root=root)
    upper = approx.length
    # nodes v with 2 * d(v, nearest terminal) > upper bound cannot be in an optimal tree
    d1 = csgraph.dijkstra(g.adj, directed=True, indices=terminals, min_only=True)
    far = (2 * d1 > upper * (1 + 1e-9)) & ~is_term
    a, b, w, chains = _reduce(g, is_term, root, ~(far[g.a] | far[g.b]))
    nodes = np.unique(np.r_[a, b, root])
    idx = np.full(n_nodes, -1, dtype=np.int64)
    idx[nodes] = np.arange(len(nodes))
    n, m = len(nodes), len(a)
    tail = np.r_[idx[a], idx[b]]
    head = np.r_[idx[b], idx[a]]
    na = 2 * m
    term = is_term[nodes]
    r = int(idx[root])
    cost = np.r_[w, w]
    arcs = np.arange(na)
    base_rows: list[tuple[np.ndarray, np.ndarray, float, float]] = []
    order = np.argsort(head, kind="stable")
    starts = np.searchsorted(head[order], np.arange(n + 1))
    in_arcs = [order[starts[i]:starts[i + 1]] for i in range(n)]
    for i in range(n):
        ia = in_arcs[i]
        if i == r or len(ia) == 0:
            continue
        ones = np.ones(len(ia))
        if term[i]:
            base_rows.append((ia, ones, 1.0, 1.0))
        else:
            base_rows.append((ia, ones, 0.0, 1.0))
            oa = arcs[tail == i]
            base_rows.append((np.r_[ia, oa], np.r_[ones, -np.ones(len(oa))], -np.inf, 0.0))
    for k in arcs:  # an arc leaves a non-root node only if the node is entered
        ti = tail[k]
        if ti == r:
            continue
        ia = in_arcs[ti]
        base_rows.append((np.r_[k, ia], np.r_[1.0, -np.ones(len(ia))], -np.inf, 0.0))
    for k in range(m):
        base_rows.append((np.array([k, k + m]), np.ones(2), -np.inf, 1.0))
    cuts: list[np.ndarray] = []
    cut_keys: set[bytes] = set()
    upper_x = np.ones(na)
    upper_x[head == r] = 0.0

    def solve(integer: bool, limit: float):
        rows = base_rows + [(c, np.ones(len(c)), 1.0, np.inf) for c in cuts]
        ri = np.concatenate([np.full(len(c), j) for j, (c, _, _, _) in enumerate(rows)])
        ci = np.concatenate([c for c, _, _, _ in rows])
        vi = np.concatenate([v for _, v, _, _ in rows])
        mat = sparse.csr_matrix((vi, (ri, ci)), shape=(len(rows), na))
        con = LinearConstraint(mat, np.array([lo for *_, lo, _ in rows]),
                               np.array([hi for *_, hi in rows]))
        return milp(cost, constraints=con, integrality=np.full(na, int(integer)),
                    bounds=Bounds(np.zeros(na), upper_x),
                    options={"time_limit": max(limit, 1.0), "mip_rel_gap": 1e-7})

    def add_cut(side_root: np.ndarray) -> bool:
        cut = arcs[side_root[tail] & ~side_root[head]]
        key = cut.tobytes()
        if key in cut_keys or len(cut) == 0:
            return False
        cut_keys.add(key)
        cuts.append(cut)
        return True

    lower = 0.0
    # LP phase: minimum-cut separation
    for _ in range(50):
        if time.perf_counter() - t0 > time_limit_s / 2:
            break
        res = solve(False, time_limit_s)
        if res.x is None:
            break
        lower = max(lower, float(res.fun))
        added = 0
        for t in np.flatnonzero(term):
            if t == r:
                continue
            for side in _back_cuts(n, tail, head, res.x, r, int(t)):
                added += add_cut(~side)
        if added == 0:
            break
    # integer phase: connectivity cuts from disconnected solutions
    chosen_arcs = None
    proven = False
    while time.perf_counter() - t0 < time_limit_s:
        res = solve(True, time_limit_s - (time.perf_counter() - t0))
        if res.x is None:
            break
        bound = getattr(res, "mip_dual_bound", None)
        if bound is not None and np.isfinite(bound):
            lower = max(lower, float(bound))
        xs = res.x > 0.5
        sel = sparse.coo_matrix((np.ones(int(xs.sum())), (tail[xs], head[xs])), shape=(n, n))
        _, lab = csgraph.connected_components(sel, directed=True, connection="weak")
        bad = np.flatnonzero(term & (lab != lab[r]))
        if len(bad) == 0:
            chosen_arcs = xs
            proven = res.status == 0
            break
        for comp in np.unique(lab[bad]):
            add_cut(lab != comp)
    if chosen_arcs is None:
        logger.warning("Steiner MILP stopped at the time limit (%.0f s); returning the "
                       "approximate tree with lower bound %.1f", time_limit_s, lower)
        return SteinerResult(approx.edges, approx.length, "exact-milp (time limit)",
                             time.perf_counter() - t0, min(lower, approx.length))
    sup = np.flatnonzero(chosen_arcs[:m] | chosen_arcs[m:])
    simple = (np.concatenate([chains[k] for k in sup]) if len(sup)
              else np.empty(0, dtype=np.int64))
    simple = _prune(g.n, g.a, g.b, simple, is_term)
    length = _length(g, simple)
    if proven:
        lower = max(lower, length * (1 - 1e-7))
    if length > upper:  # cannot happen when proven; keep the better tree otherwise
        return SteinerResult(approx.edges, approx.length, "exact-milp",
                             time.perf_counter() - t0, min(lower, approx.length))
    result = SteinerResult(np.sort(g.eid[simple]), length, "exact-milp",
                           time.perf_counter() - t0, min(lower, length))
    logger.debug("Steiner MILP: %d terminals, %d nodes, %d super-edges, %d cuts, %.1f "
                 "(bound %.1f), %.2f s", len(terminals), n, m, len(cuts), length,
                 result.lower_bound, result.runtime_s)
    return result
