"""Every widget kind the article can use: ``WIDGETS = {kind: module}``.

A plain dict rather than a plugin system: the generator hands it to the Markdown
extension, and tests hand in a fake.  Each module follows the widget contract
(see README, "Widget contract"): ``KIND``, ``PARAMS``, ``CONTROLS`` and
``run(params, action, state) -> dict``.
"""
from __future__ import annotations

from . import trial_error
from . import training_loop
from . import one_example_push
from . import word_neighbours
from . import gym
from . import prompt_to_image, refine_steps
from . import instant_answer, context_window, hallucination, repetition_loop  # generation
from . import grounding, summarize_refresh  # acting on the understanding

WIDGETS = {
    module.KIND: module
    for module in (
        trial_error,
        training_loop,
        one_example_push,
        word_neighbours,
        gym,
        prompt_to_image,
        refine_steps,
        instant_answer, context_window, hallucination, repetition_loop,
        grounding, summarize_refresh,
    )
}
