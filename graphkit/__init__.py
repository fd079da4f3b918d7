"""graphkit: analyse knowledge-dissemination networks on short-video platforms.

The public API; see README.md and docs/.  Loading files is the separate ``loaders``
package (``loaders.read_dataset``, ``loaders.generate``).
"""

from graphkit import model
from graphkit.analysis import (
    Analysis,
    adjusted_rand,
    analyze,
    articulation_points,
    attention_concentration,
    betweenness,
    bipartite_projection,
    bridges,
    broker_score,
    closeness,
    clustering,
    community_profiles,
    components,
    core_number,
    degree,
    eigenvector,
    harmonic,
    hits,
    income,
    label_propagation,
    louvain,
    modularity,
    nmi,
    pagerank,
    reach,
    segment_access,
    stability,
    top_k,
)
from graphkit.errors import AnalysisError, ArgumentError, ConfigError, GraphkitError, LoaderError, Problem, QueryError, StoreError
from graphkit.graph import Graph
from graphkit.privacy import Pseudonymiser
from graphkit.results import Provenance, Result
from graphkit.stores import EmbeddedStore, LoadSummary, Store

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # The Neo4j store loads the driver, so it is imported on first use only.
    if name == "Neo4jStore":
        from graphkit.stores.neo4j import Neo4jStore

        return Neo4jStore
    raise AttributeError(f"module 'graphkit' has no attribute {name!r}")


__all__ = [
    "Analysis",
    "AnalysisError",
    "ArgumentError",
    "ConfigError",
    "EmbeddedStore",
    "Graph",
    "GraphkitError",
    "LoadSummary",
    "LoaderError",
    "Neo4jStore",
    "Problem",
    "Provenance",
    "Pseudonymiser",
    "QueryError",
    "Result",
    "Store",
    "StoreError",
    "adjusted_rand",
    "analyze",
    "articulation_points",
    "attention_concentration",
    "betweenness",
    "bipartite_projection",
    "bridges",
    "broker_score",
    "closeness",
    "clustering",
    "community_profiles",
    "components",
    "core_number",
    "degree",
    "eigenvector",
    "harmonic",
    "hits",
    "income",
    "label_propagation",
    "louvain",
    "model",
    "modularity",
    "nmi",
    "pagerank",
    "reach",
    "segment_access",
    "stability",
    "top_k",
]
