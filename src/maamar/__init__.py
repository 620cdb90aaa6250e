"""maamar: a static site generator for interactive articles."""

__version__ = "0.2.0"
