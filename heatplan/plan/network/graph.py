"""The street graph type: street edges, existing mains, heat sources and feed points in arrays.

The graph is kept in plain numpy arrays (node coordinates; edge end nodes, lengths, kinds and
LineString geometries) so that routing can use :mod:`scipy.sparse.csgraph`;
:meth:`StreetGraph.to_networkx` gives a networkx view for tests and inspection.

It is built by :func:`heatplan.plan.network.build.build_street_graph` (cleaning in
:mod:`~heatplan.plan.network.cleaning`, mains and heat sources joined in
:mod:`~heatplan.plan.network.feeds`); :func:`heatplan.plan.network.connections.connect_properties`
links the properties to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from heatplan.plan.network.edge_arrays import shortest_per_pair

EXISTING_NETWORK = "existing_network"
"""Feed label of nodes on the existing district-heating network."""

EDGE_KINDS = ("street", "existing", "source_link")
"""Edge kinds: a street where a new trench can be dug, a street with an existing main (no new
trench), and the link from a heat source to the nearest point of its street."""


@dataclass(frozen=True)
class CleaningReport:
    """What cleaning the street layer changed, with counts.

    ``components`` lists every connected piece of the cleaned graph (largest first) with its
    number of nodes and edges, its length and whether it reaches a feed point.
    """

    input_lines: int
    """Rows of the street layer."""
    input_parts: int
    """Single LineStrings after splitting multi-part rows."""
    zero_length_dropped: int
    """Parts shorter than the grid size, dropped."""
    duplicates_dropped: int
    """Parts identical to another part (either direction), dropped."""
    overlap_removed_m: float
    """Length of partly overlapping lines merged away by noding, in metres."""
    endpoints_snapped: int
    """Line ends moved onto a nearby line end or line within the snap tolerance."""
    nodes_added_at_crossings: int
    """Graph nodes created where lines cross or touch without a shared end."""
    n_nodes: int
    n_edges: int
    length_m: float
    components_before: int
    """Connected pieces of the noded input without snapping."""
    components_after: int
    """Connected pieces of the cleaned graph."""
    component_sizes: tuple[int, ...]
    """Nodes per connected piece of the cleaned graph, largest first."""
    components: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    """One row per piece: ``n_nodes``, ``n_edges``, ``length_m``, ``has_feed``, ``x``, ``y``."""
    excluded_road_class: int = 0
    """Street rows left out because their ``road_class`` is in
    ``network.excluded_road_classes`` (e.g. motorways, where no trench is dug)."""
    mains_joined_m: float = 0.0
    """Length of street edges marked as existing network, in metres."""
    mains_not_joined_m: float = 0.0
    """Length of existing mains not lying along any street (outside the tolerance), in metres."""
    sources_joined: int = 0
    sources_rejected: tuple[str, ...] = ()
    """Heat sources farther than the maximum distance from any street."""

    def summary(self) -> str:
        """Return a one-paragraph English summary for logs and reports."""
        return (
            f"{self.input_lines:,} street lines ({self.input_parts:,} parts): "
            f"{self.zero_length_dropped} zero-length and {self.duplicates_dropped} duplicate parts "
            f"dropped, {self.overlap_removed_m:,.0f} m of overlap merged, "
            f"{self.endpoints_snapped} line ends snapped, {self.nodes_added_at_crossings} nodes "
            f"added at crossings; {self.n_nodes:,} nodes, {self.n_edges:,} edges, "
            f"{self.length_m / 1000:,.1f} km; connected pieces {self.components_before} before "
            f"cleaning, {self.components_after} after (largest {self.component_sizes[0]:,} nodes)"
            if self.component_sizes
            else "empty street graph"
        )


@dataclass(frozen=True)
class StreetGraph:
    """An undirected street graph in plain arrays (EPSG:25832, metres).

    Nodes ``0 .. n_nodes-1`` have coordinates ``x``, ``y`` and a ``feed`` label (empty, or
    ``"existing_network"``, or a heat source's ``source_id``). Edge ``i`` joins ``u[i]`` and
    ``v[i]``, follows ``geometry[i]`` (a LineString from ``u`` to ``v``), is ``length_m[i]``
    long and has a ``kind`` from :data:`EDGE_KINDS`; ``street_row`` is the row of the input
    street layer it came from (-1 for source links).
    """

    x: np.ndarray
    y: np.ndarray
    feed: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length_m: np.ndarray
    kind: np.ndarray
    geometry: np.ndarray
    street_row: np.ndarray
    crs: str = "EPSG:25832"
    report: CleaningReport | None = None
    street_attributes: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    """Attributes of the input street rows (``road_class``, ``name``), by position."""
    sources: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    """Heat sources (index ``source_id``): ``node`` (-1 when not joined), ``link_m`` (length of
    the link to the nearest point of the nearest street), ``capacity_mw`` (NaN when unknown)."""

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.x)

    @property
    def n_edges(self) -> int:
        """Number of edges."""
        return len(self.u)

    @property
    def is_feed(self) -> np.ndarray:
        """Boolean array: the node is on the existing network or is a heat source."""
        return self.feed != ""

    @property
    def new_trench_m(self) -> np.ndarray:
        """Length a new trench along each edge would have: 0 on existing mains, in metres."""
        return np.where(self.kind == "existing", 0.0, self.length_m)

    def adjacency(self, weight: np.ndarray | None = None) -> sparse.csr_matrix:
        """Return the symmetric weighted adjacency matrix (default weight: ``length_m``).

        Parallel edges keep the shortest; zero weights are raised to 1e-9 so that they stay
        edges in :mod:`scipy.sparse.csgraph`.
        """
        w = self.length_m if weight is None else weight
        w = np.maximum(w, 1e-9)
        n = self.n_nodes
        # coo -> csr would sum parallel edges; keep the shortest instead
        lo, hi = np.minimum(self.u, self.v), np.maximum(self.u, self.v)
        keep = shortest_per_pair(lo, hi, w)
        a, b, ww = lo[keep], hi[keep], w[keep]
        return sparse.coo_matrix(
            (np.r_[ww, ww], (np.r_[a, b], np.r_[b, a])), shape=(n, n)
        ).tocsr()

    def components(self) -> np.ndarray:
        """Return the connected-piece label of every node."""
        _, labels = csgraph.connected_components(self.adjacency(), directed=False)
        return labels

    def edges_frame(self) -> gpd.GeoDataFrame:
        """Return the edges as a GeoDataFrame (index ``edge_id``)."""
        return gpd.GeoDataFrame(
            {"u": self.u, "v": self.v, "length_m": self.length_m, "kind": self.kind,
             "street_row": self.street_row},
            geometry=self.geometry, crs=self.crs,
        ).rename_axis("edge_id")

    def nodes_frame(self) -> gpd.GeoDataFrame:
        """Return the nodes as a GeoDataFrame (index ``node_id``)."""
        return gpd.GeoDataFrame(
            {"feed": self.feed}, geometry=shapely.points(self.x, self.y), crs=self.crs
        ).rename_axis("node_id")

    def to_networkx(self) -> nx.MultiGraph:
        """Return a networkx MultiGraph view: nodes with ``x``, ``y``, ``feed``; edges keyed by
        edge id with ``length_m``, ``kind`` and ``geometry``."""
        g = nx.MultiGraph(crs=self.crs)
        g.add_nodes_from(
            (i, {"x": float(self.x[i]), "y": float(self.y[i]), "feed": str(self.feed[i])})
            for i in range(self.n_nodes)
        )
        g.add_edges_from(
            (int(self.u[i]), int(self.v[i]), i,
             {"length_m": float(self.length_m[i]), "kind": str(self.kind[i]),
              "geometry": self.geometry[i]})
            for i in range(self.n_edges)
        )
        return g
