"""The question layer: a question is parsed once into a frozen `Query`; nothing downstream re-reads its text."""

from qa.question.query import Query, Quantity_, Side
from qa.question.parse import parse, warm
from qa.question.text import clean_question, normalize

__all__ = ["Query", "Quantity_", "Side", "parse", "warm", "clean_question", "normalize"]
