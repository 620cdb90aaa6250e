"""Pictures the build draws itself: the social preview and the PNG app icon.

``social_png()`` is the 1200×630 Open Graph / Twitter card image: a training run's
loss falling — noisy measurements around a smooth curve, the article's subject in
one picture.  ``icon_png(size)`` is the favicon (static/favicon.svg) as a PNG, for
``apple-touch-icon`` and browsers without SVG icons.

Drawn with numpy (anti-aliased strokes from distance fields) and encoded by the
standard-library PNG encoder the widgets already use (``maamar_live.kit.png``), so
the build needs no imaging library.  Deterministic: the same bytes every build.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from maamar_live.kit.png import png_bytes

SOCIAL_SIZE = (1200, 630)

BG = (251, 250, 247)  # --bg
MUTED = (85, 89, 95)  # --muted
GRID = (226, 222, 213)
ACCENT = (11, 92, 173)  # --accent / --plot-1
ORANGE = (184, 89, 10)  # --plot-2
LIGHT_ORANGE = (255, 177, 98)
WHITE = (255, 255, 255)


class Canvas:
    """An RGB float image with anti-aliased drawing primitives."""

    def __init__(self, width: int, height: int, colour=BG):
        self.pixels = np.empty((height, width, 3), dtype=np.float64)
        self.pixels[:] = colour
        self.height, self.width = height, width

    def _blend(self, box, coverage, colour):
        y0, y1, x0, x1 = box
        patch = self.pixels[y0:y1, x0:x1]
        a = coverage[..., None]
        patch[:] = patch * (1 - a) + np.asarray(colour, dtype=np.float64) * a

    def _box(self, xmin, xmax, ymin, ymax, pad):
        x0, x1 = max(0, int(np.floor(xmin - pad))), min(self.width, int(np.ceil(xmax + pad)) + 1)
        y0, y1 = max(0, int(np.floor(ymin - pad))), min(self.height, int(np.ceil(ymax + pad)) + 1)
        return y0, y1, x0, x1

    def polyline(self, points, width: float, colour) -> None:
        """A stroke through ``points`` (x, y) with round joins and caps."""
        pts = np.asarray(points, dtype=np.float64)
        half = width / 2
        box = self._box(pts[:, 0].min(), pts[:, 0].max(), pts[:, 1].min(), pts[:, 1].max(), half + 2)
        y0, y1, x0, x1 = box
        coverage = np.zeros((y1 - y0, x1 - x0))
        for (ax, ay), (bx, by) in zip(pts[:-1], pts[1:]):
            sy0, sy1, sx0, sx1 = self._box(min(ax, bx), max(ax, bx), min(ay, by), max(ay, by), half + 2)
            yy, xx = np.mgrid[sy0:sy1, sx0:sx1] + 0.5
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy or 1.0
            t = np.clip(((xx - ax) * dx + (yy - ay) * dy) / length2, 0, 1)
            distance = np.hypot(xx - (ax + t * dx), yy - (ay + t * dy))
            local = np.clip(half - distance + 0.5, 0, 1)
            view = coverage[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0]
            np.maximum(view, local, out=view)
        self._blend(box, coverage, colour)

    def circle(self, cx: float, cy: float, r: float, colour) -> None:
        box = self._box(cx - r, cx + r, cy - r, cy + r, 2)
        y0, y1, x0, x1 = box
        yy, xx = np.mgrid[y0:y1, x0:x1] + 0.5
        self._blend(box, np.clip(r - np.hypot(xx - cx, yy - cy) + 0.5, 0, 1), colour)

    def rounded_rect(self, x0: float, y0: float, x1: float, y1: float, radius: float, colour) -> None:
        box = self._box(x0, x1, y0, y1, 2)
        by0, by1, bx0, bx1 = box
        yy, xx = np.mgrid[by0:by1, bx0:bx1] + 0.5
        # Signed distance to a rounded rectangle.
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        hx, hy = (x1 - x0) / 2 - radius, (y1 - y0) / 2 - radius
        qx, qy = np.abs(xx - cx) - hx, np.abs(yy - cy) - hy
        outside = np.hypot(np.maximum(qx, 0), np.maximum(qy, 0))
        inside = np.minimum(np.maximum(qx, qy), 0)
        distance = outside + inside - radius
        self._blend(box, np.clip(0.5 - distance, 0, 1), colour)

    def png(self) -> bytes:
        return png_bytes(np.clip(np.rint(self.pixels), 0, 255).astype(np.uint8))


def _mark(canvas: Canvas, x: float, y: float, size: float) -> None:
    """The favicon: a blue rounded square, a white rising-then-falling path, an orange dot."""
    s = size / 64
    canvas.rounded_rect(x, y, x + size, y + size, 14 * s, ACCENT)
    path = [(x + px * s, y + py * s) for px, py in ((14, 46), (26, 30), (36, 38), (50, 18))]
    canvas.polyline(path, 6 * s, WHITE)
    canvas.circle(x + 50 * s, y + 18 * s, 5 * s, LIGHT_ORANGE)


@lru_cache(maxsize=4)
def icon_png(size: int = 180) -> bytes:
    """The favicon as an opaque square PNG (iOS adds its own rounded corners)."""
    canvas = Canvas(size, size, ACCENT)
    _mark(canvas, 0, 0, size)
    return canvas.png()


def loss_run(steps: int = 48, seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A training run's loss: a smooth fall to a floor, and noisy per-step measurements."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 1, steps)
    smooth = 0.08 + 0.86 * np.exp(-t / 0.22)
    noisy = np.clip(smooth * (1 + 0.16 * rng.standard_normal(steps)) + 0.015 * rng.standard_normal(steps), 0.02, 1.05)
    return t, smooth, noisy


@lru_cache(maxsize=1)
def social_png() -> bytes:
    """The 1200×630 share image: a loss curve falling, in the site's colours."""
    width, height = SOCIAL_SIZE
    canvas = Canvas(width, height)
    # The widget frame: a surface card with the accent edge on the reading side (RTL: right).
    canvas.rounded_rect(48, 48, width - 48, height - 48, 28, GRID)
    canvas.rounded_rect(50, 50, width - 50, height - 50, 26, ACCENT)
    canvas.rounded_rect(50, 50, width - 64, height - 50, 26, WHITE)
    # The plot: axes, grid, measurements, the smooth curve, the current point.
    left, right, top, bottom = 130, 1000, 120, 520
    for k in range(1, 5):
        y = bottom - k * (bottom - top) / 4
        canvas.polyline([(left, y), (right, y)], 2, GRID)
    canvas.polyline([(left, top - 10), (left, bottom), (right + 10, bottom)], 4, MUTED)
    t, smooth, noisy = loss_run()
    xs = left + 16 + t * (right - left - 32)
    to_y = lambda loss: bottom - 8 - loss * (bottom - top - 16)  # noqa: E731
    for x, loss in zip(xs, noisy):
        canvas.circle(x, to_y(loss), 6.5, LIGHT_ORANGE)
        canvas.circle(x, to_y(loss), 4, ORANGE)
    fine = np.linspace(0, 1, 160)
    curve = 0.08 + 0.86 * np.exp(-fine / 0.22)
    canvas.polyline(list(zip(left + 16 + fine * (right - left - 32), to_y(curve))), 9, ACCENT)
    canvas.circle(xs[-1], to_y(smooth[-1]), 17, WHITE)
    canvas.circle(xs[-1], to_y(smooth[-1]), 12, ORANGE)
    # The site's mark, top corner beside the plot.
    _mark(canvas, 1030, 96, 104)
    return canvas.png()
