from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The seed text of the Hebrew article, kept outside the repository (only in CI and on
# the developers' machines); the word-for-word tests skip when it isn't there.
SEED = ROOT.parent / "shared" / "seed" / "article-he.txt"


def require_seed() -> Path:
    if not SEED.is_file():
        pytest.skip(f"the seed text {SEED} is not here (it lives beside the repository only in CI)")
    return SEED
