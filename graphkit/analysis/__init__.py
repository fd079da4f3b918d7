"""Analysis: networkx graphs or :class:`~graphkit.Graph` projections in, Results out.

Every graph function takes ``engine="auto" | "fast" | "reference"`` (aliases ``"networkit"``
and ``"networkx"``); ``"auto"`` takes the fast engine (NetworKit, and numpy/scipy on the
projection's arrays) above :data:`AUTO_EDGES` edges and the reference engine (networkx,
python-louvain) below.  Each measure's implementations sit behind one dispatcher
(:mod:`graphkit.analysis._dispatch`, which says how an engine is added).  See
``docs/analysis.md``.
"""

from graphkit.analysis._dispatch import AUTO_EDGES
from graphkit.analysis._guard import MAX_WORK
from graphkit.analysis.allocation import concentration, fair_access, lorenz, resource_allocation
from graphkit.analysis.bipartite import bipartite_projection
from graphkit.analysis.brokers import brokers, participation_coefficient
from graphkit.analysis.business import creator_kinds, earning, earning_by_position
from graphkit.analysis.centrality import degree, eigenvector, hits, pagerank, top_k
from graphkit.analysis.cocreation import co_creation, partnership_effect
from graphkit.analysis.communities import label_propagation, louvain, modularity
from graphkit.analysis.connect import institution_fields, institution_reach
from graphkit.analysis.connectivity import articulation_points, bridges, components
from graphkit.analysis.cores import clustering, core_number
from graphkit.analysis.distances import closeness, harmonic
from graphkit.analysis.hops import REACH_RELATIONSHIPS, reach
from graphkit.analysis.interest import interest_match, interest_served
from graphkit.analysis.partitions import adjusted_rand, nmi, stability
from graphkit.analysis.pipeline import Analysis, analyze
from graphkit.analysis.profiles import community_profiles
from graphkit.analysis.shortest_paths import betweenness, broker_score

__all__ = [
    "AUTO_EDGES",
    "Analysis",
    "MAX_WORK",
    "REACH_RELATIONSHIPS",
    "adjusted_rand",
    "analyze",
    "articulation_points",
    "betweenness",
    "bipartite_projection",
    "bridges",
    "broker_score",
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
    "fair_access",
    "harmonic",
    "hits",
    "institution_fields",
    "institution_reach",
    "interest_match",
    "interest_served",
    "label_propagation",
    "lorenz",
    "louvain",
    "modularity",
    "nmi",
    "pagerank",
    "participation_coefficient",
    "partnership_effect",
    "reach",
    "resource_allocation",
    "stability",
    "top_k",
]
