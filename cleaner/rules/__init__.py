"""Rule tables and word lists as data (spam rules, flagged-word lists)."""
