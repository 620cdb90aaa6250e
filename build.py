#!/usr/bin/env python3
"""Build this repository's site: ``python build.py [--serve] [--out DIR] [--base-url URL] [--port N] [--no-file-bundle]``.

The same as ``maamar build`` (or ``maamar serve`` with ``--serve``) run in this
folder: the project is the folder this file is in, wherever it was copied to.
"""

import sys
from pathlib import Path

from maamar.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    command = "build"
    if "--serve" in args:
        args.remove("--serve")
        command = "serve"
    elif "--port" in args:
        i = args.index("--port")
        del args[i : i + 2]
    sys.exit(main([command, "--project", str(Path(__file__).resolve().parent), *args]))
