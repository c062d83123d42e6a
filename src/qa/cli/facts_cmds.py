"""Commands of this layer; they register on `qa.cli.cli`."""

from qa.cli import cli  # noqa: F401
