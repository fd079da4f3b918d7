"""Loaders: read dataset files into validated frames, and generate calibrated datasets.

This package imports only graphkit's data model and errors; ``graphkit`` never imports it.
The CLI wires it to the stores.
"""

from loaders.dataset import REJECT_COLUMNS, Dataset, StreamedDataset, read_dataset, stream_dataset
from loaders.files import FORMATS
from loaders.generator import GenerateSummary, generate, generate_frames

__all__ = ["Dataset", "FORMATS", "GenerateSummary", "REJECT_COLUMNS", "StreamedDataset", "generate", "generate_frames",
           "read_dataset", "stream_dataset"]
