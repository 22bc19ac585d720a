from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms.approximation import steiner_tree as nx_steiner_tree
from scipy import sparse
from scipy.sparse import csgraph

from heatplan.core.errors import TopologyError
from heatplan.plan.network.steiner import steiner_tree_approx
from heatplan.plan.network.steiner_exact import steiner_tree_exact


def edges(*triples: tuple[int, int, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    u, v, w = zip(*triples, strict=True)
    return np.array(u), np.array(v), np.array(w, dtype=float)


def is_tree_spanning(n: int, u: np.ndarray, v: np.ndarray, chosen: np.ndarray,
                     terminals: list[int]) -> bool:
    a, b = u[chosen], v[chosen]
    nodes = np.unique(np.r_[a, b])
    mat = sparse.coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, lab = csgraph.connected_components(mat, directed=False)
    connected = len(set(lab[terminals])) == 1
    return connected and len(chosen) == len(nodes) - 1


def brute_force(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, terminals: list[int]
                ) -> float:
    """Optimum by enumerating Steiner node subsets: MST of each induced subgraph."""
    others = [x for x in range(n) if x not in terminals]
    best = np.inf
    for k in range(len(others) + 1):
        for extra in itertools.combinations(others, k):
            keep = set(terminals) | set(extra)
            m = [i for i in range(len(u)) if u[i] in keep and v[i] in keep]
            g = nx.Graph()
            g.add_nodes_from(keep)
            for i in m:
                if not g.has_edge(u[i], v[i]) or g[u[i]][v[i]]["weight"] > w[i]:
                    g.add_edge(u[i], v[i], weight=w[i])
            if nx.is_connected(g):
                best = min(best, nx.minimum_spanning_tree(g).size(weight="weight"))
    return best


def test_square_with_centre_exact_uses_steiner_node():
    # corners 0-3 on a square with 1.5 m sides; centre 4 at 1 m from each corner
    u, v, w = edges((0, 1, 1.5), (1, 2, 1.5), (2, 3, 1.5), (3, 0, 1.5),
                    (0, 4, 1.0), (1, 4, 1.0), (2, 4, 1.0), (3, 4, 1.0))
    exact = steiner_tree_exact(5, u, v, w, [0, 1, 2, 3])
    assert exact.length == pytest.approx(4.0)
    assert sorted(exact.edges.tolist()) == [4, 5, 6, 7]
    assert exact.gap == pytest.approx(0.0, abs=1e-6)
    approx = steiner_tree_approx(5, u, v, w, [0, 1, 2, 3])
    # the perimeter (4.5) is what distance-based heuristics find; within the 2x bound
    assert exact.length <= approx.length <= 2 * exact.length
    assert is_tree_spanning(5, u, v, approx.edges, [0, 1, 2, 3])


def test_easy_tree_found_by_both():
    # a path with a detour: 0-1-2-3 (1 m each) and a long bypass 0-3 (5 m); spur 1-4 (2 m)
    u, v, w = edges((0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (0, 3, 5.0), (1, 4, 2.0))
    for solver in (steiner_tree_approx, steiner_tree_exact):
        r = solver(5, u, v, w, [0, 3])
        assert r.length == pytest.approx(3.0)
        assert sorted(r.edges.tolist()) == [0, 1, 2]


def test_parallel_edges_and_self_loops():
    u, v, w = edges((0, 1, 4.0), (0, 1, 2.0), (1, 1, 1.0), (1, 2, 3.0))
    r = steiner_tree_approx(3, u, v, w, [0, 2])
    assert r.length == pytest.approx(5.0)
    assert sorted(r.edges.tolist()) == [1, 3]
    assert steiner_tree_exact(3, u, v, w, [0, 2]).length == pytest.approx(5.0)


def test_key_path_exchange_beats_plain_mehlhorn():
    # terminals 0, 1, 2; plain Mehlhorn joins 0-1 and 1-2 by direct roads (10 + 10),
    # the optimum meets at hub 3 (3 x 6 = 18)
    u, v, w = edges((0, 1, 10.0), (1, 2, 10.0), (0, 3, 6.0), (1, 3, 6.0), (2, 3, 6.0))
    plain = steiner_tree_approx(4, u, v, w, [0, 1, 2], improve=0)
    improved = steiner_tree_approx(4, u, v, w, [0, 1, 2])
    exact = steiner_tree_exact(4, u, v, w, [0, 1, 2])
    assert plain.length == pytest.approx(20.0)
    assert exact.length == pytest.approx(18.0)
    assert improved.length <= plain.length


@pytest.mark.parametrize("seed", range(6))
def test_exact_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 9
    g = nx.connected_watts_strogatz_graph(n, 4, 0.4, seed=seed)
    u = np.array([a for a, _ in g.edges()])
    v = np.array([b for _, b in g.edges()])
    w = rng.integers(1, 20, len(u)).astype(float)
    terminals = sorted(rng.choice(n, 4, replace=False).tolist())
    best = brute_force(n, u, v, w, terminals)
    exact = steiner_tree_exact(n, u, v, w, terminals)
    assert exact.length == pytest.approx(best)
    assert is_tree_spanning(n, u, v, exact.edges, terminals)
    approx = steiner_tree_approx(n, u, v, w, terminals)
    assert best <= approx.length + 1e-9
    assert approx.length <= 2 * best
    assert is_tree_spanning(n, u, v, approx.edges, terminals)


@pytest.mark.parametrize("seed", range(4))
def test_approx_not_longer_than_networkx_mehlhorn_on_grids(seed):
    rng = np.random.default_rng(seed)
    grid = nx.convert_node_labels_to_integers(nx.grid_2d_graph(15, 15))
    u = np.array([a for a, _ in grid.edges()])
    v = np.array([b for _, b in grid.edges()])
    w = rng.uniform(20, 120, len(u))
    for (a, b), wi in zip(grid.edges(), w, strict=True):
        grid[a][b]["weight"] = wi
    terminals = rng.choice(grid.number_of_nodes(), 30, replace=False).tolist()
    ours = steiner_tree_approx(grid.number_of_nodes(), u, v, w, terminals)
    theirs = nx_steiner_tree(grid, terminals, weight="weight", method="mehlhorn")
    assert ours.length <= theirs.size(weight="weight") + 1e-6
    assert is_tree_spanning(grid.number_of_nodes(), u, v, ours.edges, terminals)


@pytest.mark.parametrize("seed", range(3))
def test_exact_on_small_grids_bounds_the_approximation(seed):
    rng = np.random.default_rng(seed)
    grid = nx.convert_node_labels_to_integers(nx.grid_2d_graph(8, 8))
    u = np.array([a for a, _ in grid.edges()])
    v = np.array([b for _, b in grid.edges()])
    w = rng.uniform(20, 120, len(u))
    terminals = rng.choice(grid.number_of_nodes(), 10, replace=False).tolist()
    ours = steiner_tree_approx(grid.number_of_nodes(), u, v, w, terminals)
    exact = steiner_tree_exact(grid.number_of_nodes(), u, v, w, terminals, time_limit_s=30)
    assert exact.method == "exact-milp"
    assert exact.gap == pytest.approx(0.0, abs=1e-6)
    assert exact.length <= ours.length + 1e-6
    assert is_tree_spanning(grid.number_of_nodes(), u, v, exact.edges, terminals)


def test_terminals_in_different_pieces_raise():
    u, v, w = edges((0, 1, 1.0), (2, 3, 1.0))
    with pytest.raises(TopologyError, match="not all connected"):
        steiner_tree_approx(4, u, v, w, [0, 3])
    with pytest.raises(TopologyError, match="not all connected"):
        steiner_tree_exact(4, u, v, w, [0, 3])


def test_single_terminal_is_empty_tree():
    u, v, w = edges((0, 1, 1.0))
    assert steiner_tree_approx(2, u, v, w, [1]).length == 0.0
    assert len(steiner_tree_exact(2, u, v, w, [1]).edges) == 0
