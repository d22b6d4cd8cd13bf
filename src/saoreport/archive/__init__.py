"""Frozen fiscal-year versions (versions), their PDF/A checks (pdfa) and plan diffs (diff)."""
