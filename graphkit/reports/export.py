"""Graph exports for Gephi and other tools (GEXF, GraphML)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd

from graphkit import model
from graphkit.errors import ArgumentError
from graphkit.graph import Graph

__all__ = ["export_graph", "EXPORT_FORMATS"]

EXPORT_FORMATS = ("gexf", "graphml")


def export_graph(graph: Graph, path: str | Path, *, measures: pd.DataFrame | None = None) -> Path:
    """Write ``graph`` with node ``kind``, ``id`` and any ``measures`` columns as attributes.

    The format follows the file extension (``.gexf`` or ``.graphml``).  Viewer nodes carry
    their pseudonyms, never raw ids.

    Raises
    ------
    ArgumentError
        ``path`` ends neither in ``.gexf`` nor in ``.graphml`` (also a :class:`ValueError`).

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> g = Graph(np.array(["c1", "t1"], dtype=object), np.array(["Creator", "Topic"], dtype=object),
    ...           np.array([0]), np.array([1]), np.array([1.0]), np.array(["PUBLISHES_ON"], dtype=object))
    >>> export_graph(g, os.path.join(tempfile.mkdtemp(), "g.gexf")).suffix
    '.gexf'
    """
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in EXPORT_FORMATS:
        raise ArgumentError(f"cannot export to {path.name}: use a .gexf or .graphml file name")
    view = graph.to_networkx().copy()
    if measures is not None:
        keys = measures[model.KIND].astype(str) + model.KEY_SEPARATOR + measures[model.ID].astype(str)
        for col in measures.columns.drop(list(model.NODE_COLUMNS)):
            values = dict(zip(keys, measures[col].astype(float) if measures[col].dtype != object else measures[col]))
            nx.set_node_attributes(view, {k: v for k, v in values.items() if k in view}, col)
    if fmt == "gexf":
        nx.write_gexf(view, path)
    else:
        nx.write_graphml(view, path)
    return path
