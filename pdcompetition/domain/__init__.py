"""Pure rules of the competition, with no Flask: deadlines, geography, assignment, ranking."""
