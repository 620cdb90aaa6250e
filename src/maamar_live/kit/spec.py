"""How a widget kind describes itself: its directive parameters and its reader controls.

Plain dataclasses, standard library only, because this module ships to the browser
with the rest of ``maamar_live``.  The generator validates directives against
``PARAMS`` and renders ``CONTROLS`` into real form elements; the browser binder
sends the controls' current values back as ``params``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from typing import Any

SHOWN_CHARS = 80  # an echoed value is cut to this: a 10 KB line must not become a 10 KB message


def shown(raw: str, limit: int = SHOWN_CHARS) -> str:
    """``raw`` as it goes into a message: cut to about ``limit`` characters."""
    return raw if len(raw) <= limit else f"{raw[: limit - 1]}… ({len(raw)} characters)"


def too_many_digits(raw: str) -> int:
    """How many digits ``raw`` has when Python refuses to read it for that alone (else 0)."""
    digits = raw.lstrip("+-").replace("_", "")
    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
    return len(digits) if limit and digits.isdigit() and len(digits) > limit else 0


@dataclass(frozen=True)
class Param:
    """One directive parameter: ``type`` is one of int, float, str, bool, choice."""

    type: str
    default: Any
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    help: str = ""

    def parse(self, raw: str) -> Any:
        """Turn the directive's text into a value or raise ValueError with a reason."""
        raw = raw.strip()
        if self.type == "int":
            try:
                value: Any = int(raw)
            except ValueError:
                if too_many_digits(raw):
                    raise ValueError(
                        f"has {too_many_digits(raw)} digits: Python reads whole numbers of at most "
                        f"{sys.get_int_max_str_digits()} digits; write a smaller number"
                    ) from None
                raise ValueError(f"expects a whole number, got '{shown(raw)}'") from None
        elif self.type == "float":
            try:
                value = float(raw)
            except ValueError:
                raise ValueError(f"expects a number, got '{shown(raw)}'") from None
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(f"expects a finite number, got '{shown(raw)}'")
        elif self.type == "bool":
            lowered = raw.lower()
            if lowered not in ("true", "false", "yes", "no"):
                raise ValueError(f"expects true or false, got '{shown(raw)}'")
            value = lowered in ("true", "yes")
        elif self.type == "choice":
            if raw not in self.choices:
                raise ValueError(f"expects one of {', '.join(self.choices)}, got '{shown(raw)}'")
            value = raw
        else:
            value = raw
            if self.max_length is not None and len(value) > self.max_length:
                raise ValueError(f"is at most {self.max_length} characters long, got {len(value)}")
        if self.type in ("int", "float") and not self.within(value):
            raise ValueError(f"must be {self.bounds()}, got {shown(raw)}")
        return value

    def within(self, value) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def bounds(self) -> str:
        """The allowed range in words; either bound may be missing."""
        if self.min is not None and self.max is not None:
            return f"between {self.min:g} and {self.max:g}"
        return f"at least {self.min:g}" if self.min is not None else f"at most {self.max:g}"

    def clamp(self, value):
        if self.min is not None:
            value = max(self.min, value)
        if self.max is not None:
            value = min(self.max, value)
        return value


@dataclass(frozen=True)
class Control:
    """A reader control.  ``kind`` is button, range, text, select or checkbox.

    ``name`` is the params key the control's value is sent under (buttons: the
    action name).  ``action`` is the action a value change triggers (ranges,
    selects, checkboxes; empty means "only sent with the next button press").
    ``repeat`` marks a button that the binder presses again and again until the
    output says ``done`` or the reader presses it once more (play / pause).
    ``live`` marks a slider whose action runs on every value it passes while
    dragged (the binder keeps one request in flight plus the latest value), or a
    text box whose action runs a moment after the last key; set it only when the
    action is cheap (``benchmarks/actions.py``: well under 30 ms in the browser).

    ``label`` and ``pause_label`` are string *keys* (``"trial-error.step"``), looked
    up in the page's language when the page is rendered; so are the labels of
    ``options`` unless ``option_keys`` is false (options that are themselves
    words, like suggested prompts).

    ``order`` numbers a control as a step of the widget's intended sequence (``step``);
    the page shows the number before its label.  A button that is neither
    ``primary`` nor a step waits under the widget's "more" disclosure.
    """

    kind: str
    name: str
    label: str
    action: str = ""
    min: float = 0
    max: float = 1
    step: float = 1
    options: tuple[tuple[str, str], ...] = ()
    max_length: int = 200
    repeat: bool = False
    pause_label: str = ""
    primary: bool = False
    option_keys: bool = True
    live: bool = False
    order: int = 0


def button(action: str, label: str, *, repeat: bool = False, pause_label: str = "", primary: bool = False) -> Control:
    return Control("button", action, label, action=action, repeat=repeat, pause_label=pause_label, primary=primary)


def step(n: int, control: Control) -> Control:
    """The control as step ``n`` of the intended sequence (1, 2, 3 before its label)."""
    return replace(control, order=n)


def slider(name: str, label: str, lo: float, hi: float, step: float = 1, action: str = "update", live: bool = False) -> Control:
    return Control("range", name, label, action=action, min=lo, max=hi, step=step, live=live)


def text(name: str, label: str, max_length: int = 200, action: str = "", live: bool = False) -> Control:
    return Control("text", name, label, action=action, max_length=max_length, live=live)


def textarea(name: str, label: str, max_length: int = 1000, action: str = "", live: bool = False) -> Control:
    return Control("textarea", name, label, action=action, max_length=max_length, live=live)


def select(name: str, label: str, options: list[tuple[str, str]], action: str = "update", keys: bool = True) -> Control:
    return Control("select", name, label, action=action, options=tuple(options), option_keys=keys)


def checkbox(name: str, label: str, action: str = "update") -> Control:
    return Control("checkbox", name, label, action=action)


def coerce(params: dict, spec: dict[str, Param]) -> dict:
    """Params as they arrive from the page are strings or numbers: clamp them into spec.

    Reader input never raises here; a value out of range is clamped, junk falls
    back to the default, text is cut to its maximum length.
    """
    out = {}
    for name, p in spec.items():
        raw = params.get(name, p.default)
        try:
            if p.type == "int":
                value: Any = int(float(raw))
            elif p.type == "float":
                value = float(raw)
                if value != value or abs(value) == float("inf"):
                    raise ValueError
            elif p.type == "bool":
                value = raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1", "yes", "on")
            elif p.type == "choice":
                value = raw if raw in p.choices else p.default
            else:
                value = str(raw)
                if p.max_length is not None:
                    value = value[: p.max_length]
        except (TypeError, ValueError, OverflowError):
            value = p.default
        if p.type in ("int", "float") and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = p.clamp(value)
            if p.type == "int":
                value = int(value)
        out[name] = value
    return out


def state_int(value, lo: int = 0, hi: int = 10**6) -> int:
    """An integer kept in widget state (a resample counter, a step), read back safely:
    the page sends state back as JSON, so junk or out-of-range values become ``lo``..``hi``."""
    try:
        return min(max(int(value), lo), hi)
    except (TypeError, ValueError, OverflowError):
        return lo


def state_seed(state, params: dict, spec: dict) -> int:
    """The data seed: it lives in the state once the reader asked for new random data
    (a button, not a control); junk in the state falls back to the directive's seed."""
    try:
        return int(state["seed"]) % (int(spec["seed"].max) + 1)
    except (KeyError, TypeError, ValueError, OverflowError):
        return params["seed"]
