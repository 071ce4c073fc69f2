"""Everything a person reads: progress on the terminal and review reports.

This package is the only place that imports rich, so the core stays free of terminal
concerns and can run anywhere (workers, tests, other programs).
"""
