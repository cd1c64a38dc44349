"""Rule decisions: every real issuing attempt's rule outcome, refusals included."""
