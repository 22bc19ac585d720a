"""Splitting street-graph edges at points: where heat sources and service pipes meet a street."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import shapely

from heatplan.plan.network.graph import EXISTING_NETWORK, StreetGraph


def _split_lines(lines: np.ndarray, cut_line: np.ndarray, cut_pos: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Split lines at interior distances along them (metres), all at once.

    ``cut_line`` (sorted) and ``cut_pos`` (increasing within each line) give the cuts.
    Returns the pieces, in order along each split line, and the line index of each piece.
    """
    if len(cut_line) == 0:
        return np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
    split = np.unique(cut_line)
    coords, which = shapely.get_coordinates(lines[split], return_index=True)
    which = split[which]
    step = np.r_[0.0, np.hypot(*np.diff(coords, axis=0).T)]
    new_line = np.r_[True, which[1:] != which[:-1]]
    step[new_line] = 0.0
    cum = np.cumsum(step)
    vertex_pos = cum - cum[np.flatnonzero(new_line)][np.cumsum(new_line) - 1]
    cut_xy = shapely.get_coordinates(shapely.line_interpolate_point(lines[cut_line], cut_pos))
    # each cut point ends one piece (kind 0) and starts the next (kind 2); vertices are kind 1
    line = np.r_[which, cut_line, cut_line]
    at = np.r_[vertex_pos, cut_pos, cut_pos]
    kind = np.r_[np.ones(len(which)), np.zeros(len(cut_line)), np.full(len(cut_line), 2.0)]
    xy = np.vstack([coords, cut_xy, cut_xy])
    order = np.lexsort((kind, at, line))
    line, kind, xy = line[order], kind[order], xy[order]
    starts = kind == 2
    starts[np.r_[True, line[1:] != line[:-1]]] = True
    piece = np.cumsum(starts) - 1
    pieces = shapely.linestrings(xy, indices=piece)
    return pieces, line[starts]


def split_edges_at(
    graph: StreetGraph, e: np.ndarray, pts: np.ndarray, grid: float
) -> tuple[StreetGraph, np.ndarray, int, int]:
    """Split edges ``e`` at the points nearest to ``pts`` (one point per edge entry).

    A point within ``grid`` of an edge end uses that end node; split points on one edge are
    sorted along it and points closer than ``grid`` share a node. New nodes on an existing
    main are feed points. Returns the split graph, the node of every point, and the numbers
    of edges split and nodes added.
    """
    lines = graph.geometry[e]
    pos = shapely.line_locate_point(lines, pts)
    elen = graph.length_m[e]
    # ends snap to the existing end nodes
    node_of = np.full(len(e), -1)
    node_of[pos <= grid] = graph.u[e[pos <= grid]]
    node_of[pos >= elen - grid] = graph.v[e[pos >= elen - grid]]
    interior = node_of < 0

    n0 = graph.n_nodes
    ii = np.flatnonzero(interior)
    order = ii[np.lexsort((pos[ii], e[ii]))]
    e_s, p_s = e[order], pos[order]
    # one cut per edge and position; positions closer than the grid share a cut
    new_cut = np.ones(len(order), bool)
    new_cut[1:] = (e_s[1:] != e_s[:-1]) | (np.diff(p_s) > grid)
    cut_id = np.cumsum(new_cut) - 1
    node_of[order] = n0 + cut_id
    cut_edge, cut_pos = e_s[new_cut], p_s[new_cut]
    split_edges, n_cuts = np.unique(cut_edge, return_counts=True)
    pieces, piece_edge = _split_lines(graph.geometry, cut_edge, cut_pos)
    cut_xy = shapely.get_coordinates(
        shapely.line_interpolate_point(graph.geometry[cut_edge], cut_pos)).reshape(-1, 2)
    # chains u -> cut 1 -> ... -> cut k -> v along each split edge
    first_cut = np.r_[0, np.cumsum(n_cuts)[:-1]]
    piece_no = np.arange(len(piece_edge)) - np.repeat(first_cut + np.arange(len(n_cuts)),
                                                       n_cuts + 1)
    edge_pos = np.repeat(np.arange(len(split_edges)), n_cuts + 1)
    last = piece_no == n_cuts[edge_pos]
    add_u = np.where(piece_no == 0, graph.u[piece_edge],
                     n0 + first_cut[edge_pos] + piece_no - 1)
    add_v = np.where(last, graph.v[piece_edge], n0 + first_cut[edge_pos] + piece_no)
    keep = np.ones(graph.n_edges, bool)
    keep[split_edges] = False
    new_feed = np.where(graph.kind[cut_edge] == "existing", EXISTING_NETWORK, "").astype(object)
    split_graph = replace(
        graph,
        x=np.r_[graph.x, cut_xy[:, 0]], y=np.r_[graph.y, cut_xy[:, 1]],
        feed=np.r_[graph.feed, new_feed],
        u=np.r_[graph.u[keep], add_u.astype(np.int64)],
        v=np.r_[graph.v[keep], add_v.astype(np.int64)],
        length_m=np.r_[graph.length_m[keep], shapely.length(pieces)],
        kind=np.r_[graph.kind[keep], graph.kind[piece_edge]],
        geometry=np.r_[graph.geometry[keep], pieces],
        street_row=np.r_[graph.street_row[keep], graph.street_row[piece_edge]],
    )
    return split_graph, node_of, len(split_edges), len(cut_edge)


def edge_segments(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every straight 2-point segment of ``lines`` and the line it belongs to."""
    coords, which = shapely.get_coordinates(lines, return_index=True)
    same = which[1:] == which[:-1]
    start = np.flatnonzero(same)
    pairs = np.stack([coords[start], coords[start + 1]], axis=1)
    return shapely.linestrings(pairs), which[start]
