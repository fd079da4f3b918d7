"""Stores: the embedded in-process store and the Neo4j store, behind one interface."""

from graphkit.stores.base import LoadSummary, Store
from graphkit.stores.embedded import EmbeddedStore

__all__ = ["EmbeddedStore", "LoadSummary", "Store"]
