"""graphkit: analyse knowledge-dissemination networks on short-video platforms.

The public API; see README.md and docs/.  Loading files is the separate ``loaders``
package (``loaders.read_dataset``, ``loaders.generate``).
"""

from graphkit import model
from graphkit.analysis import (
    Analysis,
    analyze,
    attention_concentration,
    components,
    degree,
    income,
    louvain,
    pagerank,
    segment_access,
)
from graphkit.errors import AnalysisError, ConfigError, GraphkitError, LoaderError, Problem, QueryError, StoreError
from graphkit.graph import Graph
from graphkit.privacy import Pseudonymiser
from graphkit.results import Provenance, Result
from graphkit.stores import EmbeddedStore, LoadSummary, Store

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "AnalysisError",
    "ConfigError",
    "EmbeddedStore",
    "Graph",
    "GraphkitError",
    "LoadSummary",
    "LoaderError",
    "Problem",
    "Provenance",
    "Pseudonymiser",
    "QueryError",
    "Result",
    "Store",
    "StoreError",
    "analyze",
    "attention_concentration",
    "components",
    "degree",
    "income",
    "louvain",
    "model",
    "pagerank",
    "segment_access",
]
