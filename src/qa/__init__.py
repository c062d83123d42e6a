"""qa: question answering over government work reports, with cited passages and a checked fact table."""

__version__ = "0.1.0"
