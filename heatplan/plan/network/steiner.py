"""Steiner trees on a weighted undirected graph given as edge arrays: the result type, the
simple graph behind the input and the approximation.

Two solvers, the second in :mod:`heatplan.plan.network.steiner_exact`:

* :func:`steiner_tree_approx` — Mehlhorn's 2-approximation (Voronoi regions of the terminals from
  one multi-source Dijkstra, MST of the bridging edges, paths expanded) computed with
  :mod:`scipy.sparse.csgraph`, then improved: MST of the subgraph induced by the tree's nodes,
  pruning of non-terminal leaves, and key-path exchange (each path between key nodes is
  replaced by a shorter path that reconnects the two halves, found by a bounded Dijkstra).
* :func:`~heatplan.plan.network.steiner_exact.steiner_tree_exact` — a directed cut formulation
  with cut generation, solved by HiGHS (:func:`scipy.optimize.milp`) after safe reductions
  (non-terminal leaves removed, non-terminal degree-2 chains contracted, parallel edges reduced
  to the shortest).

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
from scipy.sparse import csgraph

from heatplan.core.errors import TopologyError
from heatplan.plan.network.edge_arrays import shortest_per_pair

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


class SimpleGraph:
    """The simple graph behind the input: shortest of parallel edges, no self-loops."""

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> None:
        u = np.asarray(u, dtype=np.int64)
        v = np.asarray(v, dtype=np.int64)
        w = np.maximum(np.asarray(w, dtype=float), 1e-9)
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        ok = np.flatnonzero(lo != hi)
        self.eid = ok[shortest_per_pair(lo[ok], hi[ok], w[ok])]  # input edge of each simple edge
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


def prune_leaves(n: int, a: np.ndarray, b: np.ndarray, edges: np.ndarray, is_term: np.ndarray
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


def _mst_prune(g: SimpleGraph, nodes: np.ndarray, is_term: np.ndarray) -> np.ndarray:
    """MST of the subgraph induced by ``nodes``, then non-terminal leaves pruned."""
    inside = np.zeros(g.n, bool)
    inside[nodes] = True
    sub = np.flatnonzero(inside[g.a] & inside[g.b])
    mat = sparse.coo_matrix((g.w[sub], (g.a[sub], g.b[sub])), shape=(g.n, g.n)).tocsr()
    mst = csgraph.minimum_spanning_tree(mat).tocoo()
    chosen = g.edge_index(mst.row.astype(np.int64), mst.col.astype(np.int64))
    return prune_leaves(g.n, g.a, g.b, chosen, is_term)


def _mehlhorn(g: SimpleGraph, terminals: np.ndarray) -> np.ndarray:
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
    pick = shortest_per_pair(lo, hi, cost)
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


def _tree_nodes(g: SimpleGraph, edges: np.ndarray) -> np.ndarray:
    """The nodes of the simple edges ``edges``."""
    return np.unique(np.r_[g.a[edges], g.b[edges]])


def tree_length(g: SimpleGraph, edges: np.ndarray) -> float:
    """Total weight of the simple edges ``edges``."""
    return float(g.w[edges].sum())


def _rooted(g: SimpleGraph, edges: np.ndarray, is_term: np.ndarray, root: int
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
    g: SimpleGraph, edges: np.ndarray, is_term: np.ndarray, root: int, max_paths: int
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
    g = SimpleGraph(n_nodes, u, v, weight)
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
        before = tree_length(g, edges)
        edges, k = _key_path_exchange(g, edges, is_term, root, max_key_paths)
        exchanges += k
        edges = _mst_prune(g, _tree_nodes(g, edges), is_term)
        if tree_length(g, edges) >= before - 1e-9:
            break
    result = SteinerResult(np.sort(g.eid[edges]), tree_length(g, edges),
                           "mehlhorn+improve" if improve else "mehlhorn",
                           time.perf_counter() - t0)
    logger.debug("Steiner approximation: %d terminals, %.1f, %d key-path exchanges, %.2f s",
                 len(terminals), result.length, exchanges, result.runtime_s)
    return result
