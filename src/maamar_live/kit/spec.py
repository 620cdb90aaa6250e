"""How a widget kind describes itself: its directive parameters, its reader controls, its state.

Plain dataclasses, standard library only, because this module ships to the browser
with the rest of ``maamar_live``.  The generator validates directives against
``PARAMS`` and renders ``CONTROLS`` into real form elements; the browser binder
sends the controls' current values back as ``params``.  ``STATE`` (optional)
declares the shape of the state a widget hands the page and gets back: the runtime
reads what the page sends against it (:func:`read_state`), so a widget receives a
small frozen, typed object, or ``None`` with a short note when the page sent
something else.
"""

from __future__ import annotations

import dataclasses
import math
import random
import sys
from dataclasses import dataclass, replace
from typing import Any

from .i18n import t
from .markup import clean

SHOWN_CHARS = 80  # an echoed value is cut to this: a 10 KB line must not become a 10 KB message


def shown(raw: str, limit: int = SHOWN_CHARS) -> str:
    """``raw`` as it goes into a message: cut to about ``limit`` characters."""
    return raw if len(raw) <= limit else f"{raw[: limit - 1]}… ({len(raw)} characters)"


def too_many_digits(raw: str) -> int:
    """How many digits ``raw`` has when Python refuses to read it for that alone (else 0)."""
    digits = raw.lstrip("+-").replace("_", "")
    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
    return len(digits) if limit and digits.isdigit() and len(digits) > limit else 0


def _bound(value: float) -> str:
    """A bound in a message: whole numbers in full (1000000, not 1e+06)."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else f"{value:g}"


@dataclass(frozen=True)
class Param:
    """One directive parameter: ``type`` is one of int, float, str, bool, choice.

    A default that is words a reader sees (a prompt, the facts of a made-up café) names
    a string ``key`` instead of ``default``: :meth:`initial` looks it up in the page's
    language, when the page is built and when the page runs, so an English page starts
    from English facts.  The build checks the text like a value written in the directive.
    """

    type: str
    default: Any = None
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    help: str = ""
    key: str = ""

    def __post_init__(self):
        if self.key and (self.type != "str" or self.default is not None):
            raise ValueError(f"Param key '{self.key}' names the default of a 'str' param: give no default beside it")

    def initial(self, lang: str | None = None) -> Any:
        """The default: ``default``, or the text of ``key`` in ``lang`` (the active language)."""
        return t(self.key, lang) if self.key else self.default

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
            return f"between {_bound(self.min)} and {_bound(self.max)}"
        return f"at least {_bound(self.min)}" if self.min is not None else f"at most {_bound(self.max)}"

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
    min: float | None = None  # a slider's range is its param's (see ``bound``)
    max: float | None = None
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


def slider(name: str, label: str, *legacy, step: float = 1, action: str = "update", live: bool = False) -> Control:
    """A range input for param ``name``: its ``min..max`` are the param's, filled in by
    :func:`bound` when the page is rendered, so the range is written once, in PARAMS."""
    if legacy:
        raise TypeError(
            f"slider('{name}', …) takes its range from PARAMS['{name}'] now: drop the bounds and write "
            f"slider('{name}', '{label}', step=…)"
        )
    return Control("range", name, label, action=action, step=step, live=live)


def bound(controls, params: dict[str, Param]) -> list[Control]:
    """The controls as the page shows them: every slider spans its param's ``min..max``."""
    return [
        dataclasses.replace(c, min=params[c.name].min, max=params[c.name].max) if c.kind == "range" and c.name in params else c
        for c in controls
    ]


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
    back to the default, text is cut to its maximum length.  A default that names a
    string key is read in the active language (``runtime.call`` sets the page's).
    """
    out = {}
    for name, p in spec.items():
        raw = params[name] if name in params else p.initial()
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
                value = raw if raw in p.choices else p.initial()
            else:
                value = str(raw)
                if p.max_length is not None:
                    value = value[: p.max_length]
        except (TypeError, ValueError, OverflowError):
            value = p.initial()
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


DRAWS = 10**6  # a resample counter stops here


def draw_count(state, action: str, fresh: tuple[str, ...] = ("init",), again: str = "again") -> int:
    """The resample counter a widget keeps in its state as ``draw`` (declared in ``STATE`` as
    ``"draw": DRAW``): 0 on a fresh start (no state, or one of the ``fresh`` actions), one
    more on the ``again`` button, else what the page kept.  ``state`` is the typed state
    ``run`` received.  The generation seed is the directive's seed plus this count."""
    draw = 0 if state is None or action in fresh else state.draw
    return min(draw + 1, DRAWS) if action == again else draw


def next_seed(seed: int, param: Param) -> int:
    """The seed "new random data" moves to: drawn from ``seed``, so the same press on
    the same page gives the same data; within ``param``'s range.  Python's own generator
    (seeded by an int it is the same on every platform and version), not numpy's: the
    kit stays standard library."""
    return random.Random(seed).randrange(int(param.max))


def state_seed(state, params: dict, spec: dict) -> int:
    """The data seed: it lives in the state once the reader asked for new random data
    (a button, not a control); junk in the state falls back to the directive's seed."""
    try:
        return int(state["seed"]) % (int(spec["seed"].max) + 1)
    except (KeyError, TypeError, ValueError, OverflowError):
        return params["seed"]


# --- state schemas ----------------------------------------------------------------------
#
# A widget's state goes to the page as JSON and comes back with the next request, so a
# reader (or a stale page) can send anything.  ``STATE = {"guesses": list_of(number(), 200,
# least=1)}`` declares what the widget accepts; the runtime reads the state against it and
# hands ``run`` a frozen object (``state.guesses``, lists as tuples) or ``None``.


class StateError(ValueError):
    """The page sent back a state that does not fit the widget's ``STATE``; the message
    says where (``guesses[3]``) and what was expected, in a few words."""


@dataclass(frozen=True, eq=False)
class Field:
    """One value in a widget's state.  Build it with ``whole``, ``number``, ``flag``,
    ``words``, ``one_of``, ``list_of``, ``row``, ``record``, ``either`` or ``optional``."""

    type: str
    min: float | None = None
    max: float | None = None
    choices: tuple = ()
    max_length: int | None = None
    item: Field | None = None
    parts: tuple = ()  # row: one field per position; record: (name, field) pairs; either: the alternatives
    least: int = 0
    most: int = 0
    nullable: bool = False
    make: Any = None  # record: the frozen dataclass its values become


def whole(lo: int | None = None, hi: int | None = None) -> Field:
    """An integer (not a bool) within ``lo..hi``."""
    return Field("int", min=lo, max=hi)


DRAW = whole(0, DRAWS)  # the resample counter in a widget's STATE: how often "again" was pressed (``draw_count``)


def number(lo: float | None = None, hi: float | None = None) -> Field:
    """A finite number (ints accepted, read as float) within ``lo..hi``."""
    return Field("float", min=lo, max=hi)


def flag() -> Field:
    return Field("bool")


def words(max_length: int) -> Field:
    """A string of at most ``max_length`` characters."""
    return Field("str", max_length=max_length)


def one_of(*choices) -> Field:
    return Field("choice", choices=tuple(choices))


def list_of(item: Field, most: int, least: int = 0) -> Field:
    """A list of ``least..most`` items, each read as ``item`` (it becomes a tuple)."""
    return Field("list", item=item, least=least, most=most)


def row(*parts: Field) -> Field:
    """A fixed-length list whose positions have their own fields (``["t", 17]``)."""
    return Field("row", parts=parts)


def record(name: str = "State", **fields: Field) -> Field:
    """A JSON object with exactly these keys; it becomes a frozen dataclass."""
    make = dataclasses.make_dataclass(name, list(fields), frozen=True)
    return Field("record", parts=tuple(fields.items()), make=make)


def either(*alternatives: Field) -> Field:
    """The first of ``alternatives`` that fits."""
    return Field("either", parts=alternatives)


def optional(field: Field) -> Field:
    """``field`` or ``null``."""
    return dataclasses.replace(field, nullable=True)


def from_param(param: Param) -> Field:
    """A state value with a param's type and range (the seed a reader drew, say); a
    param's types (int, float, str, bool, choice) are field types of the same names."""
    return Field(param.type, min=param.min, max=param.max, choices=param.choices, max_length=param.max_length)


def _read(value, field: Field, where: str):
    if value is None and field.nullable:
        return None
    kind = field.type
    if kind in ("int", "float"):
        ok = isinstance(value, int) if kind == "int" else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok or (kind == "float" and not math.isfinite(value)):
            raise StateError(f"{where}: expects {'a whole number' if kind == 'int' else 'a finite number'}")
        if (field.min is not None and value < field.min) or (field.max is not None and value > field.max):
            bounds = Param(kind, 0, min=field.min, max=field.max).bounds()
            raise StateError(f"{where}: must be {bounds}, got {shown(str(value), 20)}")
        return float(value) if kind == "float" else value
    if kind == "bool":
        if not isinstance(value, bool):
            raise StateError(f"{where}: expects true or false")
        return value
    if kind == "str":
        if not isinstance(value, str):
            raise StateError(f"{where}: expects text")
        if field.max_length is not None and len(value) > field.max_length:
            raise StateError(f"{where}: is at most {field.max_length} characters long, got {len(value)}")
        # text goes back into the page: no bidi overrides, control characters or lone surrogates
        return clean(value.encode("utf-8", "replace").decode("utf-8"))
    if kind == "choice":
        if not isinstance(value, (str, int)) or isinstance(value, bool) or value not in field.choices:
            raise StateError(f"{where}: expects one of {', '.join(map(str, field.choices))}")
        return value
    if kind == "either":
        for alternative in field.parts:
            try:
                return _read(value, alternative, where)
            except StateError:
                continue
        raise StateError(f"{where}: fits none of its {len(field.parts)} forms")
    if kind in ("list", "row"):
        if not isinstance(value, (list, tuple)):
            raise StateError(f"{where}: expects a list")
        if kind == "row":
            if len(value) != len(field.parts):
                raise StateError(f"{where}: expects {len(field.parts)} items, got {len(value)}")
            return tuple(_read(v, f, f"{where}[{i}]") for i, (v, f) in enumerate(zip(value, field.parts)))
        if not field.least <= len(value) <= field.most:
            count = field.most if field.least == field.most else f"{field.least} to {field.most}"
            raise StateError(f"{where}: expects {count} items, got {len(value)}")
        return tuple(_read(v, field.item, f"{where}[{i}]") for i, v in enumerate(value))
    if kind == "record":
        if not isinstance(value, dict):
            raise StateError(f"{where or 'state'}: expects an object")
        names = [name for name, _ in field.parts]
        missing = [name for name in names if name not in value]
        extra = [clean(str(name)) for name in value if name not in names]  # echoed: no bidi overrides
        if missing or extra:
            problem = f"misses {', '.join(missing)}" if missing else f"has unknown {shown(', '.join(extra), 40)}"
            raise StateError(f"{where or 'state'}: {problem}")
        prefix = f"{where}." if where else ""
        return field.make(**{name: _read(value[name], f, prefix + name) for name, f in field.parts})
    raise StateError(f"{where}: unknown field type {kind!r}")


def schema(state_spec: dict[str, Field] | Field) -> Field:
    """A widget's ``STATE`` (a dict of fields, or one field) as one record field (memoised)."""
    if isinstance(state_spec, Field):
        return state_spec
    key = id(state_spec)
    if key not in _SCHEMAS or _SCHEMAS[key][0] is not state_spec:
        _SCHEMAS[key] = (state_spec, record("State", **state_spec))
    return _SCHEMAS[key][1]


_SCHEMAS: dict[int, tuple[dict, Field]] = {}


def read_state(raw, state_spec: dict[str, Field] | Field):
    """``raw`` (the page's JSON) read against ``state_spec``: frozen dataclasses, tuples
    and plain scalars.  Raises :class:`StateError` saying where it does not fit."""
    return _read(raw, schema(state_spec), "")


def plain(value):
    """A read state back to JSON-able dicts and lists (what a widget returns)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value
