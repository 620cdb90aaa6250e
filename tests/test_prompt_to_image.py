"""prompt-to-image: one small word, a completely different picture."""

import base64
import json
import re

import numpy as np
import pytest

from maamar_live.models import cppn
from maamar_live.widgets import prompt_to_image as p2i
from maamar_live import runtime
from maamar_live.kit.i18n import t
from maamar_live.kit.spec import coerce

from .test_cppn import assert_safe_markup
from .test_png import decode_png

KIND = p2i.KIND
HOSTILE = [
    "",
    "   ",
    "😺🌅🔥",
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "\u202eחתול בשקיעה\u202c",
    "\u2067ים\u2069 \u200fערב",
    "x" * 10_240,
    "חתול\x00\x07בערב",
    "\ud800חתול",
    "{prompt} {0} %s",
    "javascript:alert(1)",
]
JUNK = [
    {},
    {"prompt_a": None, "prompt_b": 12, "size": "huge", "seed": -4},
    {"prompt_a": ["a"], "prompt_b": {"x": 1}, "size": 1e300, "seed": float("nan")},
    {"size": -5, "seed": 10**30},
]
ACTIONS = ["init", "draw", "update", "reset", "no-such-button", ""]


def images(html):
    """The pictures in the widget's markup, decoded from their data: URLs."""
    urls = re.findall(r'<img [^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    return [decode_png(base64.b64decode(u)) for u in urls]


def test_default_shows_two_pictures_a_core_word_apart():
    out = runtime.call(KIND, {}, "init")
    pics = images(out["html"])
    assert len(pics) == 2 and pics[0].shape == (128, 128, 3)
    assert cppn.pixel_difference(*pics) > 20
    assert t("prompt-to-image.core_changed", old="<bdi>בשקיעה</bdi>", new="<bdi>בערב</bdi>") in out["html"]
    assert 'alt="' in out["html"] and "חתול בשקיעה" in out["html"]
    assert "</img>" not in out["html"]


def test_same_prompt_same_bytes():
    a = runtime.call(KIND, {"prompt_a": "חתול בשקיעה", "prompt_b": "חתול בשקיעה"}, "draw")
    b = runtime.call(KIND, {"prompt_a": "חתול בשקיעה", "prompt_b": "dog"}, "draw")
    urls_a = re.findall(r'src="(data:[^"]+)"', a["html"])
    urls_b = re.findall(r'src="(data:[^"]+)"', b["html"])
    assert urls_a[0] == urls_a[1] == urls_b[0]
    assert t("prompt-to-image.same_text") in a["html"]
    assert runtime.call(KIND, {}, "init") == runtime.call(KIND, {}, "init")


def test_hebrew_and_english_spelling_of_the_same_prompt_match():
    out = runtime.call(KIND, {"prompt_a": "חתול בשקיעה", "prompt_b": "cat at sunset"}, "draw")
    pics = images(out["html"])
    assert np.array_equal(pics[0], pics[1])
    assert t("prompt-to-image.same_concepts") in out["html"]


def test_core_swap_moves_further_than_a_modifier_in_the_widget():
    def numbers(out):
        dist, pct = re.findall(r'<bdi class="num" dir="ltr">([\d.,]+)%?</bdi>', out["html"])[:2]
        return float(dist), float(pct)

    core = numbers(runtime.call(KIND, {"prompt_a": "חתול בשקיעה", "prompt_b": "חתול בערב"}, "draw"))
    mod = runtime.call(KIND, {"prompt_a": "חתול בשקיעה", "prompt_b": "חתול בשקיעה, תאורה רכה"}, "draw")
    assert t("prompt-to-image.modifier_added", new="<bdi>תאורה רכה</bdi>") in mod["html"]
    mod = numbers(mod)
    assert core[0] > 4 * mod[0] and core[1] > 2 * mod[1]


@pytest.mark.parametrize("prompt", HOSTILE)
def test_hostile_prompts_are_escaped_and_do_not_raise(prompt):
    out = runtime.call(KIND, {"prompt_a": prompt, "prompt_b": "חתול"}, "draw")
    html = out["html"]
    assert_safe_markup(html, out["text"])
    assert len(images(html)) == 2
    assert len(html) < 80_000
    json.dumps(out)  # the worker can send it


def test_prompt_without_words_gets_a_hebrew_message():
    out = runtime.call(KIND, {"prompt_a": "😺🌅", "prompt_b": ""}, "draw")
    assert t("prompts.no_words", which="😺🌅") in out["html"]
    assert t("prompts.no_words_blank") in out["html"]


def test_text_is_length_limited_by_the_spec():
    params = coerce({"prompt_a": "א" * 10_000}, p2i.PARAMS)
    assert len(params["prompt_a"]) == p2i.MAX_PROMPT
    assert all(c.max_length == p2i.MAX_PROMPT for c in p2i.CONTROLS if c.kind == "text")


@pytest.mark.parametrize("params", JUNK)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_with_junk_params(params, action):
    out = runtime.call(KIND, params, action, None)
    assert out["html"] and out["text"]
    assert_safe_markup(out["html"], out["text"])
    json.dumps(out)
    for state in ({"junk": [1, 2]}, "nonsense", [1]):
        runtime.call(KIND, params, action, state)


def test_controls_name_params_and_strings_exist():
    for control in p2i.CONTROLS:
        assert control.kind == "button" or control.name in p2i.PARAMS
    t(f"{KIND}.title"), t(f"{KIND}.caption")


def test_each_latin_word_of_a_change_is_isolated_on_its_own():
    """ "evening ← sunset" as one Latin run would read backwards inside Hebrew."""
    out = runtime.call(KIND, {"prompt_a": "cat at sunset", "prompt_b": "cat in the evening"}, "draw")
    assert "<bdi>sunset</bdi>" in out["html"] and "<bdi>evening</bdi>" in out["html"]
    assert "←" not in out["html"]
    assert "sunset" in out["text"] and "<bdi>" not in out["text"]


def test_the_pixel_difference_shown_is_the_exact_pixels_one():
    """The pictures are sent rounded within kit.png.PICTURE_MAX_ERROR; the % the widget
    reports is measured on the exact pixels, not on the decoded ones."""
    from maamar_live.kit.png import PICTURE_MAX_ERROR

    out = runtime.call(KIND, {}, "init")
    key_a, key_b = cppn.concepts("חתול בשקיעה"), cppn.concepts("חתול בערב")
    exact = [cppn.picture(k, 128, 0) for k in (key_a, key_b)]
    pct = cppn.pixel_difference(*exact)
    assert f'<bdi class="num" dir="ltr">{pct:.1f}%</bdi>' in out["html"]
    for shown, pixels in zip(images(out["html"]), exact):
        assert 0 < np.abs(shown.astype(int) - pixels).max() <= PICTURE_MAX_ERROR
