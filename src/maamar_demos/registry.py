"""Every widget kind the article can use: ``WIDGETS = {kind: module}``.

A plain dict rather than a plugin system: the generator hands it to the Markdown
extension, and tests hand in a fake.  Each module follows the widget contract
(see README, "Widget contract"): ``KIND``, ``PARAMS``, ``CONTROLS`` and
``run(params, action, state) -> dict``.
"""
from __future__ import annotations

from . import trial_error

WIDGETS = {
    module.KIND: module
    for module in (
        trial_error,
    )
}
