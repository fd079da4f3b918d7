"""Analysis: networkx graphs or :class:`~graphkit.Graph` projections in, Results out."""

from graphkit.analysis.centrality import degree, pagerank
from graphkit.analysis.communities import louvain
from graphkit.analysis.connectivity import components
from graphkit.analysis.domain import attention_concentration, income, segment_access
from graphkit.analysis.pipeline import Analysis, analyze

__all__ = [
    "Analysis",
    "analyze",
    "attention_concentration",
    "components",
    "degree",
    "income",
    "louvain",
    "pagerank",
    "segment_access",
]
