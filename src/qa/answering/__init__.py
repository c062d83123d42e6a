"""Answering: a parsed `Query` -> candidates -> named features -> a fitted scorer -> independent
verification -> one wording. Weights and thresholds live only in `weights.json` (written by `qa fit`)."""

from qa.answering.context import AnswerContext
from qa.answering.flow import answer_query

__all__ = ["AnswerContext", "answer_query"]
