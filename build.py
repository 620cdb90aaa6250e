#!/usr/bin/env python3
"""Build the site: ``python build.py [--serve] [--out DIR]``.  See README.md."""
import sys

from maamar.cli import main

if __name__ == "__main__":
    sys.exit(main())
