"""``python -m maamar``: the same as the ``maamar`` command."""

import sys

from .cli import main

sys.exit(main())
