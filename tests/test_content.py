from maamar.content import parse_source

GOOD = "---\ntitle: כותרת\nlang: he\ndir: rtl\ndescription: תיאור\ndate: 2026-11-29\n---\n\nטקסט.\n"


def errors(text):
    return [str(e) for e in parse_source(text, "content/a.md", "a")[1]]


def test_front_matter_is_read_and_body_line_is_known():
    source, problems = parse_source(GOOD, "content/a.md", "a")
    assert not problems
    assert source.meta["title"] == "כותרת" and source.meta["dir"] == "rtl"
    assert source.body_line == 8 and source.body.strip() == "טקסט."


def test_missing_front_matter():
    assert errors("# hello") == [
        "content/a.md:1: missing front matter: the file must start with a '---' line, then title, lang, dir, description and date, then '---'"
    ]


def test_unclosed_front_matter():
    assert errors("---\ntitle: x\n") == ["content/a.md:1: front matter is not closed: add a '---' line after the last field"]


def test_missing_fields_are_each_named():
    found = errors("---\ntitle: x\n---\n")
    assert "content/a.md:1: front matter lacks 'lang'" in found and "content/a.md:1: front matter lacks 'date'" in found


def test_bad_direction_points_at_its_line():
    assert errors(GOOD.replace("dir: rtl", "dir: up")) == ["content/a.md:4: dir must be rtl or ltr, got 'up'"]


def test_bad_date():
    assert errors(GOOD.replace("date: 2026-11-29", "date: yesterday")) == [
        "content/a.md:6: date must look like 2026-11-29, got 'yesterday'"
    ]


def test_invalid_yaml_names_line():
    found = errors("---\ntitle: x\nlang: [he\n---\n")
    assert len(found) == 1 and found[0].startswith("content/a.md:") and "not valid YAML" in found[0]


def test_byte_order_mark_is_ignored():
    assert parse_source("\ufeff" + GOOD, "content/a.md", "a")[0] is not None


def test_a_huge_front_matter_value_is_echoed_cut_short():
    [message] = errors(GOOD.replace("dir: rtl", "dir: " + "u" * 10_000))
    assert message.startswith("content/a.md:4: dir must be rtl or ltr, got 'uuu") and len(message) < 200
