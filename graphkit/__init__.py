"""graphkit: analyse knowledge-dissemination networks on short-video platforms.

The public API; see README.md and docs/.  Reading files is the separate ``loaders``
package (``loaders.read_dataset``, ``loaders.generate``); the workflows of the command line
(:func:`read_folder`, :func:`load_dataset`, :func:`analyze_store`, :func:`report`,
:func:`export`) take a store and import ``loaders`` only when they read a folder.
"""

from graphkit import model
from graphkit.analysis import (
    Analysis,
    adjusted_rand,
    analyze,
    articulation_points,
    betweenness,
    bipartite_projection,
    bridges,
    broker_score,
    brokers,
    closeness,
    clustering,
    co_creation,
    community_profiles,
    components,
    concentration,
    core_number,
    creator_kinds,
    degree,
    earning,
    earning_by_position,
    eigenvector,
    fair_access,
    harmonic,
    hits,
    institution_fields,
    institution_reach,
    interest_match,
    interest_served,
    label_propagation,
    lorenz,
    louvain,
    modularity,
    nmi,
    pagerank,
    participation_coefficient,
    partnership_effect,
    reach,
    resource_allocation,
    stability,
    top_k,
)
from graphkit.answers import Answers, answers
from graphkit.errors import (
    AnalysisError,
    ArgumentError,
    ConfigError,
    GraphkitError,
    LoaderError,
    Problem,
    QueryError,
    StoreError,
)
from graphkit.graph import Graph
from graphkit.privacy import Pseudonymiser
from graphkit.results import Provenance, Result
from graphkit.stores import EmbeddedStore, LoadSummary, Store
from graphkit.workflows import analyze_store, bulk_load, export, load_dataset, read_folder, report

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
    "Answers",
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
    "analyze_store",
    "answers",
    "articulation_points",
    "betweenness",
    "bipartite_projection",
    "bridges",
    "broker_score",
    "bulk_load",
    "brokers",
    "closeness",
    "clustering",
    "co_creation",
    "community_profiles",
    "components",
    "concentration",
    "core_number",
    "creator_kinds",
    "degree",
    "earning",
    "earning_by_position",
    "eigenvector",
    "export",
    "fair_access",
    "harmonic",
    "hits",
    "institution_fields",
    "institution_reach",
    "interest_match",
    "interest_served",
    "label_propagation",
    "load_dataset",
    "lorenz",
    "louvain",
    "model",
    "modularity",
    "nmi",
    "pagerank",
    "participation_coefficient",
    "partnership_effect",
    "reach",
    "read_folder",
    "report",
    "resource_allocation",
    "stability",
    "top_k",
]
