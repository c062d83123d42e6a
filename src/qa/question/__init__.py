"""The question layer: a question is parsed once into a frozen `Query`; nothing downstream re-reads its text."""

from qa.question.query import Query, Quantity_, Side

__all__ = ["Query", "Quantity_", "Side"]
