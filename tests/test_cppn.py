"""The tiny text-to-image model: words → vector → picture → PNG."""

import base64
import os
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pytest

from maamar_live.kit import png
from maamar_live.kit.png import data_url, png_bytes
from maamar_live.models import cppn


def key(prompt):
    return cppn.concepts(prompt)


def vector(prompt, seed=0):
    return cppn.prompt_vector(key(prompt), seed)


class MarkupCheck(HTMLParser):
    """Collects what a browser would see as elements and attributes."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs = set(), set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)


SAFE_TAGS = {
    "div",
    "figure",
    "figcaption",
    "img",
    "bdi",
    "ul",
    "ol",
    "li",
    "span",
    "p",
    "svg",
    "title",
    "desc",
    "line",
    "text",
    "polyline",
    "circle",
    "rect",
    "g",
    "button",  # a thumbnail that jumps to its step (type="button": never submits anything)
}


def assert_safe_markup(html: str, text: str = ""):
    """Only known elements, no event handlers or inline styles, no bidi overrides; UTF-8 clean."""
    check = MarkupCheck()
    check.feed(html)
    assert check.tags <= SAFE_TAGS, check.tags - SAFE_TAGS
    assert not any(a.startswith("on") or a == "style" for a in check.attrs), check.attrs
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\x00\x07":
        assert ch not in html and ch not in text
    html.encode("utf-8"), text.encode("utf-8")


def test_same_prompt_same_bytes_and_different_prompt_different_bytes():
    a1 = png_bytes(cppn.draw(vector("חתול בשקיעה"), 64))
    a2 = png_bytes(cppn.draw(vector("חתול בשקיעה"), 64))
    b = png_bytes(cppn.draw(vector("חתול בערב"), 64))
    assert a1 == a2 and a1 != b


def test_word_vectors_are_stable_and_independent_of_the_process():
    # blake2b, not hash(): PYTHONHASHSEED must not change a word's point
    v = cppn.concept_vector("core", "cat", 0)
    assert v.shape == (cppn.DIM,) and not v.flags.writeable
    assert np.linalg.norm(v) == pytest.approx(cppn.CORE_NORM)
    assert cppn._stable_seed("cat") == int.from_bytes(__import__("hashlib").blake2b(b"cat", digest_size=8).digest(), "little")


def test_hebrew_and_english_name_the_same_concepts():
    assert key("חתול בשקיעה") == key("cat at sunset") == key("Cat at SUNSET!") == (("core", "cat"), ("core", "sunset"))
    assert key("חָתוּל בַּשְּׁקִיעָה") == key("חתול בשקיעה")  # vowel points are ignored
    assert key("cats") == key("cat")
    assert key("ובלילה") == (("core", "night"),)
    assert key("תאורה רכה") == key("soft light") == key("בתאורה רכה") == (("modifier", "soft-light"),)
    assert key("close-up") == key("תקריב")
    assert [r for _, r, _ in cppn.parse("חתול של קסם")] == ["core", "filler", "unknown"]


def test_every_vocabulary_word_reads_back_as_its_concept():
    for concept in list(cppn.CORE) + list(cppn.MODIFIERS):
        for latin in (False, True):
            word = cppn.word_for(concept, latin)
            assert key(word)[0][1] == concept, word
            assert key("ב" + word)[0][1] == concept if not latin else True


def test_core_word_swap_moves_vector_and_picture_more_than_any_modifier():
    base = "חתול בשקיעה"
    core_swaps = ["חתול בערב", "חתול בלילה", "כלב בשקיעה", "סוס בשקיעה"]
    modified = [f"{base} {cppn.word_for(m)}" for m in cppn.MODIFIERS]
    z0, image0 = vector(base), cppn.draw(vector(base), 64)
    core_moves = [np.linalg.norm(vector(p) - z0) for p in core_swaps]
    modifier_moves = [np.linalg.norm(vector(p) - z0) for p in modified]
    assert min(core_moves) > 3 * max(modifier_moves)
    core_pixels = [cppn.pixel_difference(image0, cppn.draw(vector(p), 64)) for p in core_swaps]
    modifier_pixels = [cppn.pixel_difference(image0, cppn.draw(vector(p), 64)) for p in modified]
    assert min(core_pixels) > max(modifier_pixels)
    assert np.mean(core_pixels) > 2.5 * np.mean(modifier_pixels)


def test_core_swaps_jump_further_than_modifiers_for_other_seeds_too():
    for seed in (1, 2, 3):
        for base in ("cat sunset", "dog sea", "house forest night"):
            z0 = vector(base, seed)
            image0 = cppn.draw(z0, 48, seed)
            words = base.split()
            swaps = [
                " ".join(words[:i] + [other] + words[i + 1 :])
                for i in range(len(words))
                for other in ("robot", "desert", "morning")
            ]
            core = np.mean([cppn.pixel_difference(image0, cppn.draw(vector(p, seed), 48, seed)) for p in swaps])
            mods = np.mean(
                [
                    cppn.pixel_difference(image0, cppn.draw(vector(f"{base} {m}", seed), 48, seed))
                    for m in ("red", "blue", "from above", "soft light", "close up")
                ]
            )
            assert core > 2 * mods, (seed, base, core, mods)


def test_modifiers_do_what_they_say():
    base = cppn.draw(vector("cat sunset"), 64).astype(float)
    red = cppn.draw(vector("cat sunset red"), 64).astype(float)
    blue = cppn.draw(vector("cat sunset blue"), 64).astype(float)
    dim = cppn.draw(vector("cat sunset dim light"), 64).astype(float)
    soft = cppn.draw(vector("cat sunset soft light"), 64).astype(float)
    assert red[..., 0].mean() > base[..., 0].mean() + 5 and red[..., 2].mean() < base[..., 2].mean()
    assert blue[..., 2].mean() > base[..., 2].mean() + 5
    assert dim.mean() < base.mean() - 5
    assert soft.std() < base.std()  # soft light: less contrast


def test_data_url_is_a_base64_png():
    url = data_url(cppn.picture(key("cat"), 32, 0))
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1])[:8] == png.PNG_SIGNATURE


def test_hostile_prompts_parse_and_draw():
    for prompt in [
        "",
        "   ",
        "😺🌅",
        "\u202eחתול\u202c",
        "<script>alert(1)</script>",
        "x" * 10_000,
        "חתול " * 2000,
        "\x00\x01",
        "\ud800חתול\udfff",
        "ב",
        "s",
    ]:
        words = cppn.parse(prompt)
        assert len(words) <= cppn.MAX_WORDS
        image = cppn.draw(cppn.prompt_vector(cppn.concepts(prompt)), 16)
        assert image.shape == (16, 16, 3) and image.dtype == np.uint8


def test_pictures_do_not_depend_on_the_process_hash_seed():
    code = (
        "from maamar_live.models import cppn; from maamar_live.kit.png import data_url; "
        "print(data_url(cppn.picture(cppn.concepts('חתול בשקיעה xyzzy'), 16, 0)))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1 and next(iter(runs)) == data_url(cppn.picture(key("חתול בשקיעה xyzzy"), 16, 0)) + "\n"
