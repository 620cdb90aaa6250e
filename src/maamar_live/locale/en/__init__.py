"""English strings: the whole page chrome, and the built-in widgets translated so far."""

from . import runtime, training

STRINGS: dict[str, str] = {}
for _part in (runtime, training):
    STRINGS.update(_part.STRINGS)
