"""corpus: the shipped Hebrew text carries the patterns the widgets rely on."""

from collections import Counter
from pathlib import Path

from maamar_live.text import corpus
from maamar_live.text.tokenizer import key, tokenize

CORPUS_FILE = Path(corpus.__file__).parent / corpus.PACKAGE_DATA


def keys() -> Counter:
    return Counter(key(t) for line in corpus.load_lines() for t in tokenize(line))


def test_size_and_shape():
    lines = corpus.load_lines()
    assert len(lines) >= 450
    assert 30_000 <= len(CORPUS_FILE.read_bytes()) <= 45_000
    assert not any(line.startswith("#") or not line.strip() for line in lines)
    assert corpus.load_text() == "\n".join(lines)
    assert len(set(lines)) > 0.9 * len(lines)  # varied, not one template


def test_the_articles_patterns_occur_often():
    text = corpus.load_text()
    cat_and_milk = [line for line in corpus.load_lines() if "חתול" in line and "חלב" in line]
    assert len(cat_and_milk) >= 30
    assert text.count("אוזניים משולשות") >= 8
    assert text.count("ברגים") >= 15 and text.count("נובח") >= 8


def test_the_long_story_and_its_names():
    name = corpus.longest_story()
    lines = corpus.story(name)
    assert len(lines) >= 40
    body = "\n".join(lines)
    for person in ("נועה", "איתי", "רחל", "בונבון", "מיצי"):
        assert body.count(person) >= 8, person
    assert set(corpus.stories()) >= {name} and len(corpus.stories()) >= 4


def test_rare_terms_occur_once_and_unseen_terms_never():
    counts = keys()
    assert len(corpus.rare_terms()) >= 3 and len(corpus.unseen_terms()) >= 3
    for term in corpus.rare_terms():
        assert counts[key(term)] == 1, term
    text = corpus.load_text()
    for term in corpus.unseen_terms():
        assert term not in text, term


def test_story_lookup_names_the_alternatives():
    try:
        corpus.story("no such story")
    except KeyError as error:
        assert corpus.longest_story() in str(error)
    else:
        raise AssertionError("expected KeyError")


def test_the_corpus_is_package_data_read_without_the_repository(tmp_path):
    """Installed from a wheel there is no repository around the package: a copy of the
    package elsewhere must read its own data file."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import maamar_live

    package = tmp_path / "site" / "maamar_live"
    shutil.copytree(Path(maamar_live.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "text" / "data" / "corpus_he.txt").write_text("# story: קצר\nשורה אחת.\n\nשורה שתיים.\n", encoding="utf-8")
    code = "from maamar_live.text import corpus; print(len(corpus.load_lines()), list(corpus.stories()))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path / "site")},
        check=True,
    )
    assert out.stdout.strip() == "2 ['קצר']"
