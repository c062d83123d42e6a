"""The few errors the package raises on purpose; the CLI and the UI turn each into a message."""


class QAError(Exception):
    """Base of every expected failure: its message is shown to the user as is."""


class CorpusError(QAError):
    """The corpus is missing, unreadable or in an encoding that cannot be decoded."""


class IndexError_(QAError):
    """The index is missing, corrupt, or stale against the corpus or the model."""


class FactTableError(QAError):
    """The fact table is missing or does not validate."""


class InputError(QAError):
    """A question or argument that cannot be handled (empty, too long, …)."""
