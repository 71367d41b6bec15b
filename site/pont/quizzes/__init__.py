"""Quizzes: scoring, anonymous answer counts and the quiz pages."""
