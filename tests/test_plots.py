"""The kit's SVG plots: short coordinates, and dense curves without the points the eye can't tell."""

import math
import re

import numpy as np

from maamar_live.kit import plots
from maamar_live.kit.figures import _check


def vertices(svg: str) -> list[tuple[float, float]]:
    found = re.search(r'<polyline class="series"[^>]* points="([^"]*)"', svg).group(1)
    return [tuple(map(float, p.split(","))) for p in found.split()]


def segment_distance(p, a, b) -> float:
    (x, y), (x0, y0), (x1, y1) = p, a, b
    dx, dy = x1 - x0, y1 - y0
    along = min(max(((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy or 1.0), 0.0), 1.0)
    return math.hypot(x - x0 - along * dx, y - y0 - along * dy)


def test_coordinates_have_one_decimal_and_no_trailing_zero():
    assert [plots._c(v) for v in (226.0, 187.24, -0.04, 0.0, 12.96, -3.5)] == ["226", "187.2", "0", "0", "13", "-3.5"]


def test_simplified_curve_stays_within_the_tolerance_of_every_point():
    xs = np.linspace(60, 546, 201)
    wiggly = 140 + 60 * np.sin(xs / 40) + 8 * np.sin(xs / 3)  # smooth stretches and tight bends
    points = list(zip(xs.tolist(), wiggly.tolist()))
    kept = plots._simplify(points)
    assert kept[0] == points[0] and kept[-1] == points[-1] and len(kept) < len(points)
    assert set(kept) <= set(points)
    for p in points:
        assert min(segment_distance(p, a, b) for a, b in zip(kept, kept[1:])) <= plots.SIMPLIFY + 1e-9
    assert plots._simplify(points[:2]) == points[:2]


def test_a_dense_series_is_simplified_a_sparse_one_keeps_a_vertex_per_value():
    smooth = [math.exp(-i / 40) for i in range(201)]  # a sampled curve: 2.4 units apart
    dense = vertices(plots.line({"a": smooth}, title="t", desc="d", xlabel="x", ylabel="y"))
    assert 2 < len(dense) < 60
    steps = [math.exp(-i / 8) for i in range(41)]  # a value per step: 12 units apart
    sparse = vertices(plots.line({"a": steps}, title="t", desc="d", xlabel="x", ylabel="y"))
    assert len(sparse) == 41


def test_the_svg_carries_no_default_attributes_and_show_still_takes_it():
    svg = plots.line({"a": [1, 2, 3], "b": [3, 2, 1]}, title="t", desc="d", xlabel="x", ylabel="y").split("</ul>")[-1]
    assert "xmlns" not in svg and "preserveAspectRatio" not in svg and 'direction="ltr"' in svg
    assert not re.search(r'="-?\d+\.0"', svg)
    assert _check(svg) == svg
