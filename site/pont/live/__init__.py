"""Live class sessions: a teacher paces a quiz, pupils join with a code and a pseudonym."""
