"""Loaders: read dataset files into validated frames, and generate calibrated datasets.

This package imports only graphkit's data model and errors; ``graphkit`` never imports it.
The CLI wires it to the stores.
"""

from loaders.dataset import REJECT_COLUMNS, Dataset, read_dataset
from loaders.files import FORMATS

__all__ = ["Dataset", "FORMATS", "REJECT_COLUMNS", "read_dataset", "generate", "generate_frames", "GenerateSummary"]


def __getattr__(name: str):  # the generator is imported on first use: it is the heavier half
    if name in ("generate", "generate_frames", "GenerateSummary"):
        from loaders import generate as _generate

        return getattr(_generate, name)
    raise AttributeError(name)
