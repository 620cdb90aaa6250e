"""English strings, merged from one module per part of the site (the same parts as Hebrew)."""

from . import runtime, training, generation, prompts

STRINGS: dict[str, str] = {}
for _part in (runtime, training, generation, prompts):
    STRINGS.update(_part.STRINGS)
