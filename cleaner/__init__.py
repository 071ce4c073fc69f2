"""cleaner: turn scraped news pages into clean, deduplicated articles."""

__version__ = "0.1.0"
