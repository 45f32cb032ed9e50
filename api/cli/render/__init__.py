"""Terminal rendering of answers, one module per group of commands."""
