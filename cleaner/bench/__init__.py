"""Benchmark scripts: `python -m cleaner.bench.<name> <bench folder>` prints a table."""
