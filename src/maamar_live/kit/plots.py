"""SVG plots built from numbers: line, scatter, bar and heat map.

A small module of our own rather than pygal or matplotlib: it must run unchanged
in CPython (pre-render at build time) and in Pyodide (live), where every extra
wheel costs the reader download time, and it must emit markup we control — an
accessible ``<title>``/``<desc>``, ``direction="ltr"`` (SVG's own attribute: HTML's
``dir`` is not valid on ``<svg>``) so axes read left to right inside
the RTL page, colours from CSS custom properties so dark mode works, and no
inline scripts.  pygal would add ~1 MB plus lxml-free XML handling we don't need.

Every function returns one ``<svg>`` string.  Non-finite values (a diverging
run) are clipped to the frame and never printed as NaN.
"""

from __future__ import annotations

import math
from typing import Sequence

from .markup import esc

# The text is sized in CSS pixels, not in viewBox units (site.css, --plot-k set by
# the binder): on a 375 px phone it is ~22 of these units tall, on a wide screen ~13.
# The paddings leave room for the larger size: tick labels left of and under the
# axes, the y-axis title written level above the plot, the x-axis title below.
# Legends are HTML above the chart (``legend``), where they wrap instead of overlapping.
W, H = 560, 280
PAD_START, PAD_END, PAD_TOP, PAD_BOTTOM = 60, 14, 32, 54
LEGEND_ROOM = 0  # the legend is HTML now: nothing above the plot area but the y-axis title
PALETTE = ("var(--plot-1)", "var(--plot-2)", "var(--plot-3)", "var(--plot-4)")


def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 10000 or magnitude < 0.001:
        return f"{value:.0e}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 1:
        return f"{value:.3g}"
    return f"{value:.2g}"


def _c(value: float) -> str:
    """A coordinate to one decimal (a tenth of a viewBox unit is under a screen
    pixel), without a trailing ``.0`` or a ``-0``: the same number, fewer bytes."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


SIMPLIFY = 0.2  # viewBox units: a fifth of a screen pixel on a wide screen, less on a phone
DENSE = 3.0  # viewBox units between neighbouring points, below which a line is a sampled curve


def _simplify(points: list[tuple[float, float]], tolerance: float = SIMPLIFY) -> list[tuple[float, float]]:
    """The polyline with the points the eye can't tell dropped (Ramer–Douglas–Peucker):
    every point left out lies within ``tolerance`` of the segment drawn instead, and
    the first and last points are always kept."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        far, worst = first, tolerance
        for k in range(first + 1, last):
            x, y = points[k]
            along = min(max(((x - x0) * dx + (y - y0) * dy) / length2, 0.0), 1.0) if length2 else 0.0
            gap = math.hypot(x - x0 - along * dx, y - y0 - along * dy)
            if gap > worst:
                far, worst = k, gap
        if far != first:
            keep[far] = True
            spans += [(first, far), (far, last)]
    return [p for p, kept in zip(points, keep) if kept]


def nice_ticks(lo: float, hi: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round tick values from at most ``lo`` to at least ``hi`` (Heckbert's 'nice numbers')."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        hi = lo + 1.0
    span = hi - lo
    raw = span / max(count - 1, 1)
    exp = math.floor(math.log10(raw))
    frac = raw / 10**exp
    step = (1 if frac < 1.5 else 2 if frac < 3 else 5 if frac < 7 else 10) * 10**exp
    if integer:
        step = max(1, round(step))
    value = math.floor(lo / step) * step
    ticks = [round(value, 12)]
    while ticks[-1] < hi - 1e-12 and len(ticks) < 14:
        value += step
        ticks.append(round(value, 12))
    return ticks


class Frame:
    """Maps data coordinates to the SVG box and draws the axes.

    ``rtl`` mirrors the x axis for right-to-left pages: the first value (step 0,
    rank 1) is drawn on the right and the y axis stands there, so a chart runs the
    same way as the strip or list beside it.  The data are never reversed, and the
    text stays upright and left to right."""

    def __init__(self, xlo, xhi, ylo, yhi, width=W, height=H, integer_x=False, top=PAD_TOP, rtl=False):
        self.xt = nice_ticks(xlo, xhi, integer=integer_x)
        self.yt = nice_ticks(ylo, yhi)
        self.xlo, self.xhi = self.xt[0], self.xt[-1]
        self.ylo, self.yhi = self.yt[0], self.yt[-1]
        self.width, self.height = width, height
        self.top = top  # more room above the data when a legend is drawn there
        self.rtl = rtl
        # the plot area's edges, and the side the y axis stands on (its start)
        self.left, self.right = (PAD_END, width - PAD_START) if rtl else (PAD_START, width - PAD_END)
        self.start = self.right if rtl else self.left

    def x(self, value: float) -> float:
        span = (self.xhi - self.xlo) or 1.0
        along = (value - self.xlo) / span * (self.right - self.left)
        return self.right - along if self.rtl else self.left + along

    def slot(self, i: int, n: int) -> float:
        """The left edge of slot ``i`` of ``n`` equal slots along the x axis (bars)."""
        return self.left + ((n - 1 - i) if self.rtl else i) * (self.right - self.left) / n

    def y(self, value: float) -> float:
        if not math.isfinite(value):
            value = self.yhi if value > 0 or math.isnan(value) else self.ylo
        value = min(max(value, self.ylo), self.yhi)
        span = (self.yhi - self.ylo) or 1.0
        return self.height - PAD_BOTTOM - (value - self.ylo) / span * (self.height - self.top - PAD_BOTTOM)

    def axes(self, xlabel: str, ylabel: str, xticks=True) -> str:
        out = []
        for value in self.yt:
            y = self.y(value)
            tick_x, anchor = (self.start + 6, "start") if self.rtl else (self.start - 6, "end")
            out.append(f'<line class="grid" x1="{self.left}" x2="{self.right}" y1="{_c(y)}" y2="{_c(y)}"/>')
            out.append(f'<text class="tick" x="{tick_x}" y="{_c(y)}" dy=".35em" text-anchor="{anchor}">{_fmt(value)}</text>')
        if xticks:
            for value in self.xt:
                x = self.x(value)
                # the last label ends at its tick: centred, phone-sized "1200" would stick out of the picture
                anchor = "end" if value == self.xt[-1] and len(_fmt(value)) > 1 else "middle"
                out.append(
                    f'<text class="tick" x="{_c(x)}" y="{self.height - PAD_BOTTOM + 6}" dy="1em" text-anchor="{anchor}">{_fmt(value)}</text>'
                )
        base = self.height - PAD_BOTTOM
        out.append(f'<line class="axis" x1="{self.left}" x2="{self.right}" y1="{base}" y2="{base}"/>')
        out.append(f'<line class="axis" x1="{self.start}" x2="{self.start}" y1="{self.top}" y2="{base}"/>')
        out.append(
            f'<text class="label" x="{(self.left + self.right) / 2:.0f}" y="{self.height - 4}" text-anchor="middle">{esc(xlabel)}</text>'
        )
        if ylabel:  # level, above the axis: a rotated title would need as much room as the tick labels
            title_x, anchor = (self.width - 4, "end") if self.rtl else (4, "start")
            out.append(f'<text class="label" x="{title_x}" y="{self.top - 10}" text-anchor="{anchor}">{esc(ylabel)}</text>')
        return "".join(out)


def _svg(body: str, title: str, desc: str, width=W, height=H, kind: str = "") -> str:
    return (
        # no xmlns (the HTML parser puts <svg> in the SVG namespace) and no
        # preserveAspectRatio (xMidYMid meet is its default)
        f'<svg class="plot{" " + kind if kind else ""}" viewBox="0 0 {width} {height}" role="img" direction="ltr">'
        f"<title>{esc(title)}</title><desc>{esc(desc)}</desc>{body}</svg>"
    )


def _finite(values) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def _legend(names: Sequence[str], width=W) -> str:
    """The series' names as an HTML list in the page's font size; the swatch colours
    come from classes (plot-swatch-N in site.css), since markup carries no styles."""
    if len(names) < 2:
        return ""
    items = "".join(
        f'<li><span class="plot-swatch plot-swatch-{i % 4 + 1}" aria-hidden="true"></span>{esc(name)}</li>'
        for i, name in enumerate(names)
    )
    return f'<ul class="plot-legend">{items}</ul>'


def line(
    series: dict[str, Sequence[float]],
    *,
    title: str,
    desc: str,
    xlabel: str,
    ylabel: str,
    xs: Sequence[float] | None = None,
    ylim: tuple[float, float] | None = None,
    log_y: bool = False,
    marker: float | None = None,
    xlim: tuple[float, float] | None = None,
    xmarks: Sequence[float] = (),
    rtl: bool = False,
) -> str:
    """One or more lines sharing an x axis (step, epoch…).  ``marker`` draws a dashed
    horizontal reference line (a target value); ``xmarks`` dashed vertical lines (where
    something changed); ``xlim`` fixes the x range so a curve grows into a stable frame
    instead of the axis rescaling every step; ``rtl`` runs the x axis from right to left
    (``Frame``)."""
    names = list(series)
    longest = max((len(v) for v in series.values()), default=0)
    xs_all = list(xs) if xs is not None else list(range(longest))
    values = [v for s in series.values() for v in _finite(s)]
    if marker is not None:
        values.append(marker)
    if log_y:
        values = [math.log10(max(v, 1e-12)) for v in values]
    ylo, yhi = ylim if ylim else (min(values, default=0.0), max(values, default=1.0))
    if not ylim and ylo > 0 and not log_y:
        ylo = 0.0 if ylo < (yhi - ylo) * 1.5 else ylo
    xlo, xhi = xlim if xlim else (xs_all[0] if xs_all else 0, xs_all[-1] if len(xs_all) > 1 else 1)
    integer_x = all(float(x).is_integer() for x in xs_all) and (xlim is None or all(float(v).is_integer() for v in xlim))
    frame = Frame(xlo, xhi, ylo, yhi, integer_x=integer_x, top=PAD_TOP + (LEGEND_ROOM if len(names) > 1 else 0), rtl=rtl)
    body = [frame.axes(xlabel, ylabel)]
    if marker is not None:
        my = frame.y(math.log10(marker) if log_y else marker)
        body.append(f'<line class="marker" x1="{frame.left}" x2="{frame.right}" y1="{_c(my)}" y2="{_c(my)}"/>')
    for mark in xmarks:
        if frame.xlo <= mark <= frame.xhi:
            mx = frame.x(mark)
            body.append(f'<line class="marker" x1="{_c(mx)}" x2="{_c(mx)}" y1="{frame.top}" y2="{H - PAD_BOTTOM}"/>')
    for i, name in enumerate(names):
        xy = []
        for x, v in zip(xs_all, series[name]):
            if v is None:
                continue
            v = float(v)
            if log_y and math.isfinite(v):
                v = math.log10(max(v, 1e-12))
            xy.append((frame.x(x), frame.y(v)))
        # A dense series (a sampled curve: its points closer than DENSE) loses the
        # points the eye can't tell; a sparse one keeps a vertex per value (a step, a
        # tick), so a live curve visibly gains one per tick.
        dense = len(xy) > 2 and abs(xy[-1][0] - xy[0][0]) < DENSE * (len(xy) - 1)
        pts = [f"{_c(x)},{_c(y)}" for x, y in (_simplify(xy) if dense else xy)]
        if pts:
            body.append(
                f'<polyline class="series" fill="none" stroke="{PALETTE[i % 4]}" stroke-width="2.5" points="{" ".join(pts)}"/>'
            )
            last = pts[-1].split(",")
            body.append(f'<circle cx="{last[0]}" cy="{last[1]}" r="3.5" fill="{PALETTE[i % 4]}"/>')
    return _legend(names) + _svg("".join(body), title, desc)


def scatter(
    points: Sequence[tuple[float, float]],
    *,
    title: str,
    desc: str,
    xlabel: str,
    ylabel: str,
    groups: Sequence[int] | None = None,
    group_names: Sequence[str] = (),
) -> str:
    xs = _finite(p[0] for p in points) or [0.0, 1.0]
    ys = _finite(p[1] for p in points) or [0.0, 1.0]
    frame = Frame(min(xs), max(xs), min(ys), max(ys), top=PAD_TOP + (LEGEND_ROOM if len(group_names) > 1 else 0))
    body = [frame.axes(xlabel, ylabel)]
    for i, (x, y) in enumerate(points):
        g = groups[i] if groups is not None else 0
        body.append(f'<circle cx="{_c(frame.x(x))}" cy="{_c(frame.y(y))}" r="4" fill="{PALETTE[g % 4]}" fill-opacity="0.8"/>')
    return _legend(list(group_names)) + _svg("".join(body), title, desc)


def bar(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    desc: str,
    ylabel: str,
    previous: Sequence[float] | None = None,
    highlight: int | None = None,
    rtl: bool = False,
) -> str:
    """Vertical bars, one per label, with an optional ghost bar for the previous value
    (used to show how much one push moved each weight).  Labels may be Hebrew; they
    are drawn under their bars in left-to-right order, like the numbers, or with
    ``rtl`` from right to left: the first bar on the right (``Frame``)."""
    vals = _finite(values) + (_finite(previous) if previous is not None else [])
    lo, hi = min(vals + [0.0]), max(vals + [0.0])
    if hi == lo:
        hi = lo + 1
    frame = Frame(0, 1, lo, hi, rtl=rtl)
    body = [frame.axes("", ylabel, xticks=False)]
    n = max(len(values), 1)
    slot = (frame.right - frame.left) / n
    zero = frame.y(0.0)
    body.append(f'<line class="axis" x1="{frame.left}" x2="{frame.right}" y1="{_c(zero)}" y2="{_c(zero)}"/>')
    for i, (label, value) in enumerate(zip(labels, values)):
        x = frame.slot(i, n) + slot * 0.2
        width = slot * 0.6
        if previous is not None:
            py = frame.y(float(previous[i]))
            body.append(
                f'<rect class="ghost" x="{_c(x - 3)}" y="{_c(min(py, zero))}" width="{_c(width + 6)}" height="{_c(abs(zero - py))}"/>'
            )
        y = frame.y(float(value))
        colour = PALETTE[1] if highlight == i else PALETTE[0] if float(value) >= 0 else PALETTE[2]
        body.append(
            f'<rect x="{_c(x)}" y="{_c(min(y, zero))}" width="{_c(width)}" height="{_c(max(abs(zero - y), 0.5))}" fill="{colour}"/>'
        )
        body.append(_bar_label(label, x + width / 2, H - PAD_BOTTOM + 6, slanted=n > 6))
    # slanted labels hang below the frame: the picture is taller than the frame
    return _svg("".join(body), title, desc, W, H + (34 if n > 6 else 0))


def _bar_label(label: str, x: float, y: float, slanted: bool) -> str:
    """A bar's label under it: two words on two lines (phone-sized text is wider than a
    slot of five bars), or slanted when the bars are many and narrow."""
    if slanted:
        return f'<text class="tick" transform="translate({_c(x)} {y}) rotate(-35)" text-anchor="end" dy="1em">{esc(label)}</text>'
    words = str(label).split(" ", 1)
    lines = "".join(f'<tspan x="{_c(x)}" dy="{1 if i == 0 else 1.1}em">{esc(w)}</tspan>' for i, w in enumerate(words))
    return f'<text class="tick" x="{_c(x)}" y="{y}" text-anchor="middle">{lines}</text>'


def heatmap(
    matrix: Sequence[Sequence[float]],
    *,
    title: str,
    desc: str,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    cell: int = 28,
) -> str:
    """A grid of cells shaded by value (e.g. co-occurrence counts), labels on both axes."""
    rows, cols = len(matrix), len(matrix[0]) if matrix else 0
    flat = _finite(v for row in matrix for v in row) or [0.0]
    lo, hi = min(flat), max(flat)
    span = (hi - lo) or 1.0
    left, top = 90, 70
    width, height = left + cols * cell + 10, top + rows * cell + 10
    body = []
    for j, label in enumerate(col_labels):
        x = left + j * cell + cell / 2
        body.append(f'<text class="tick" transform="translate({_c(x)} {top - 6}) rotate(-45)">{esc(label)}</text>')
    for i, label in enumerate(row_labels):
        y = top + i * cell + cell / 2 + 4
        body.append(f'<text class="tick" x="{left - 6}" y="{_c(y)}" text-anchor="end">{esc(label)}</text>')
        for j in range(cols):
            value = float(matrix[i][j])
            strength = (value - lo) / span if math.isfinite(value) else 0.0
            body.append(
                f'<rect x="{left + j * cell}" y="{top + i * cell}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="var(--plot-1)" fill-opacity="{0.08 + 0.92 * strength:.2f}"><title>{esc(row_labels[i])} · {esc(col_labels[j])}: {_fmt(value)}</title></rect>'
            )
    return _svg("".join(body), title, desc, width, height, kind="heat")  # site.css keeps it from growing huge


def region(
    points: Sequence[tuple[float, float]],
    groups: Sequence[int],
    field: Sequence[Sequence[float]],
    *,
    title: str,
    desc: str,
    xlabel: str,
    ylabel: str,
    group_names: Sequence[str] = (),
    extent: tuple[float, float, float, float] = (0.0, 1.0, 0.0, 1.0),
) -> str:
    """Points over the model's answer for every spot of the plane (a decision boundary).

    ``field[i][j]`` is the model's belief (0..1) in group 1 at the centre of grid cell
    row ``i`` (counted from the bottom), column ``j`` (from the left); the grid spans
    ``extent = (xlo, xhi, ylo, yhi)``.  Each cell is tinted with the colour of the
    group the model would answer there, stronger where it is surer, so the border
    between the two tints is where the model changes its mind.  Neighbouring cells
    of the same tint are merged into one rectangle to keep the SVG small.
    """
    xlo, xhi, ylo, yhi = extent
    frame = Frame(xlo, xhi, ylo, yhi, top=PAD_TOP + (LEGEND_ROOM if len(group_names) > 1 else 0))
    body = [frame.axes(xlabel, ylabel)]
    rows = len(field)
    cols = len(field[0]) if rows else 0
    levels = (0.07, 0.14, 0.24)  # three tints are enough to read "sure" from "unsure"

    def tint(value) -> tuple[int, int]:
        p = float(value) if math.isfinite(float(value)) else 0.5
        return int(p >= 0.5), min(int(abs(2 * p - 1) * 3), 2)

    body.append('<g shape-rendering="crispEdges">')  # no hairline seams between neighbouring cells
    for i in range(rows):
        # edges rounded before subtracting, so neighbours share them exactly (no gaps)
        y_top = round(frame.y(ylo + (i + 1) * (yhi - ylo) / rows), 1)
        y_bottom = round(frame.y(ylo + i * (yhi - ylo) / rows), 1)
        j = 0
        while j < cols:
            group, sure = tint(field[i][j])
            end = j + 1
            while end < cols and tint(field[i][end]) == (group, sure):
                end += 1
            x0 = round(frame.x(xlo + j * (xhi - xlo) / cols), 1)
            x1 = round(frame.x(xlo + end * (xhi - xlo) / cols), 1)
            body.append(
                f'<rect x="{_c(x0)}" y="{_c(y_top)}" width="{_c(x1 - x0)}" height="{_c(y_bottom - y_top)}" '
                f'fill="{PALETTE[group]}" fill-opacity="{levels[sure]}"/>'
            )
            j = end
    body.append("</g>")
    for group in sorted(set(groups)):  # one <g> per group: hundreds of points stay a few KB
        dots = "".join(
            f'<circle cx="{_c(frame.x(x))}" cy="{_c(frame.y(y))}" r="4"/>' for (x, y), g in zip(points, groups) if g == group
        )
        body.append(f'<g fill="{PALETTE[group % 4]}" stroke="var(--fg)" stroke-opacity="0.35">{dots}</g>')
    return _legend(list(group_names)) + _svg("".join(body), title, desc)


def choice_bars(
    rows: Sequence[tuple[str, float, float | None, bool]],
    *,
    caption: str,
    headers: Sequence[str],
    chosen_label: str,
    rtl: bool = False,
) -> str:
    """A model's next-word candidates as a table of bars: one row per candidate.

    ``rows`` are ``(word markup, probability, chance of being picked or None, chosen)``;
    ``headers`` name the columns (word, probability[, chance]).  Each value is a bar
    (length = value, growing from the reading side: the right with ``rtl``) *and* its
    number as text, and the chosen word is named in words, so nothing is told by
    colour or length alone.  The word markup and the ``caption`` must already be safe
    (``esc``/``tag``/``isolate``), so a caption can hold an isolated word."""
    from .markup import num, tag

    def cell(value: float) -> str:
        width = max(0.0, min(1.0, value)) * 100
        rect = f'<rect x="{_c(100 - width if rtl else 0)}" y="0" width="{_c(width)}" height="10"/>'
        bar = f'<svg class="pbar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">{rect}</svg>'
        return tag("td", bar + num(100 * value, 1, unit="%"), class_="pcell")

    with_chance = any(q is not None for _, _, q, _ in rows)
    head = "".join(tag("th", esc(h), scope="col") for h in headers[: 3 if with_chance else 2])
    body = []
    for word, p, q, chosen in rows:
        mark = " " + tag("span", esc(chosen_label), class_="chosen-mark") if chosen else ""
        cells = tag("td", word + mark) + cell(p) + (cell(q or 0.0) if with_chance else "")
        body.append(tag("tr", cells, class_="chosen" if chosen else None))
    return tag(
        "table",
        tag("caption", caption) + tag("thead", tag("tr", head)) + tag("tbody", "".join(body)),
        class_="choices",
    )
