"""Put the facts in the question: a momentary addition of weights that lowers the chance of inventions.

The reader asks about a made-up café, “הפינה של תמר”, that the training text
never mentioned.  The same language model (the trigram model of the corpus,
``ngram``) answers twice, side by side:

* without facts it continues the answer's first words from its counts alone.
  Nothing in training is about this café, so it backs off to whatever usually
  follows the last word — a fluent, confident, wrong answer (``hallucination``);
* with the facts box pasted into the prompt it has a second source: a copy
  (pointer) component that looks for the last one or two words of the answer
  in the facts and proposes whatever came right after them there — the way
  real models reuse what is in their window.  ``weight`` of each guess comes
  from the facts, the rest from training.  This is the article's "momentary
  addition of weights": nothing in the model changed, the prompt added
  probability to the facts' next words for this one answer.

Words that exist only in the facts ("14:00", "שקשוקה") join the vocabulary with
zero counts, so the model can write them only by copying.  Edit the facts
(14:00 → 16:00, another dish) and the answer follows; lower the weight and the
training statistics take over again.

Hebrew glues "in/the/and" to the next word, so "בטלפון" and "הטלפון", or
"שישי" and "בשישי", count as the same word when looking for a match.  Times
("7:30"), phone numbers ("03-5551234") and "מ-7:30" stay single tokens: the
shared tokenizer would cut a phone number at its hyphen.
"""

from __future__ import annotations

import re

from ..models.copying import Answer, answer
from ..kit.i18n import direction, rtl, t
from ..kit.markup import clean, confidence_legend, confident_word, esc, how, num, tag
from ..kit.spec import Param, button, select, slider, step, textarea
from ..text.tokenizer import PREFIX_LETTERS, detokenize, is_hebrew, sentences, spaces, strip_marks, tokenize

KIND = "grounding"
QUESTIONS = ("hours", "phone", "dish")
MAX_FACTS = 500  # characters in the facts box
MAX_FACT_TOKENS = 150  # tokens of the facts the model reads
PUNCTUATION = set(".,;:!?")  # shown hugging the word before
PARAMS = {
    "facts": Param("str", key="grounding.default_facts", max_length=MAX_FACTS, help="the facts pasted into the prompt"),
    "question": Param("choice", QUESTIONS[0], choices=QUESTIONS, help="which question about the café"),
    "weight": Param("float", 0.6, min=0.0, max=1.0, help="share of each guess that comes from the facts"),
    "temperature": Param("float", 0.0, min=0.0, max=1.5, help="0 = always the likeliest word"),
    "seed": Param("int", 0, min=0, max=10**6, help="which answer when sampling"),
}
CONTROLS = [
    # the caption's sequence: change a fact, pick a question, ask
    step(1, textarea("facts", "grounding.facts", max_length=MAX_FACTS)),
    step(2, select("question", "grounding.question", [(q, f"grounding.q_{q}") for q in QUESTIONS], action="ask")),
    slider("weight", "grounding.weight", step=0.05, action="ask", live=True),
    step(3, button("ask", "grounding.ask", primary=True)),
]

# "03-5551234", "7:30-14:00", "מ-7:30": one token each.  Elsewhere the shared tokenizer decides.
_NUMBER = r"\d+(?:[.:,/]\d+)*"
_KEEP = re.compile(
    rf"(?<![A-Za-z0-9\u05d0-\u05ea])(?:[{PREFIX_LETTERS}]{{1,3}}[-\u05be])?{_NUMBER}(?:[-\u2013]{_NUMBER})*"
    rf"|(?<![A-Za-z0-9]){_NUMBER}(?:[-\u2013]{_NUMBER})*"
)


def words_of(text: str) -> list[str]:
    """``tokenize``, except that numbers joined by hyphens, or a prefix letter and a hyphen
    before a number, stay one token: "הטלפון: 03-5551234" → ["הטלפון", ":", "03-5551234"]."""
    text = strip_marks(clean(text))
    out: list[str] = []
    last = 0
    for match in _KEEP.finditer(text):
        out += tokenize(text[last : match.start()])
        out.append(match.group().replace("\u05be", "-").replace("\u2013", "-"))
        last = match.end()
    return out + tokenize(text[last:])


def fact_sentences(facts: str) -> list[list[str]]:
    """The facts as sentences of tokens (a new sentence after . ! ? and at every line),
    at most MAX_FACT_TOKENS tokens in all."""
    found, used = [], 0
    for line in str(facts).splitlines():
        tokens = words_of(line)[: max(0, MAX_FACT_TOKENS - used)]
        used += len(tokens)
        found += sentences(tokens)
    return found


def render_answer(start: tuple[str, ...], a: Answer) -> str:
    out = esc(detokenize(start))
    gaps = spaces(list(start) + list(a.words))[len(start) :]
    for w, p, copied, new, gap in zip(a.words, a.probs, a.copied, a.new, gaps):
        classes = " ".join(c for c, on in (("copied", copied), ("new-word", new)) if on)
        title = t("grounding.token_copied" if copied else "grounding.token_title", percent=round(100 * p))
        # in a right-to-left answer, numbers and Latin go left-to-right; a left-to-right answer
        # leaves Hebrew words to the bidi algorithm, which keeps a run of them in their order
        isolate = rtl() and not is_hebrew(w) and w not in PUNCTUATION
        out += (" " if gap else "") + confident_word(w, p, title, classes, isolate)
    return out


def render_facts(facts: tuple[tuple[str, ...], ...], sources: set) -> str:
    """The facts as the model read them, the words it copied from marked."""
    parts, j = [], 1
    gaps = iter(spaces([w for sentence in facts for w in sentence]))
    for sentence in facts:
        for w in sentence:
            cls = "source" if j in sources else None
            word = tag("mark", esc(w), class_=cls) if cls else esc(w)
            parts.append((" " if next(gaps) else "") + word)
            j += 1
        j += 1  # the sentence break
    return "".join(parts)


def plain(start: tuple[str, ...], a: Answer) -> str:
    return detokenize(list(start) + list(a.words))


def run(params: dict, action: str, state: dict | None) -> dict:
    question = params["question"]
    weight = round(float(params["weight"]), 4)
    temperature, seed = float(params["temperature"]), int(params["seed"])
    raw = clean(params["facts"], MAX_FACTS)
    facts = tuple(tuple(s) for s in fact_sentences(raw))
    start = tuple(words_of(t(f"grounding.start_{question}")))

    bare = answer((), start, weight, temperature, seed)
    grounded = answer(facts, start, weight, temperature, seed)
    n_copied = sum(grounded.copied)
    n_new = sum(c and n for c, n in zip(grounded.copied, grounded.new))

    notes = []
    if not facts:
        notes.append(t("grounding.empty"))
    elif weight == 0:
        notes.append(t("grounding.zero_weight"))
    elif grounded.matched == 0:
        notes.append(t("grounding.no_match"))
    if len(str(params["facts"])) >= MAX_FACTS or sum(map(len, facts)) >= MAX_FACT_TOKENS:
        notes.append(t("grounding.cut", chars=MAX_FACTS, tokens=MAX_FACT_TOKENS))

    legend = confidence_legend(
        [t(f"grounding.legend_{i}") for i in range(4)],
        [(t("grounding.legend_copied"), "copied"), (t("grounding.legend_new"), "copied new-word")],
    )
    side = tag(
        "div",
        tag("p", esc(t("grounding.without")), class_="label")
        + tag("p", render_answer(start, bare), class_="answer generated", dir=direction()),
        class_="side without",
    ) + tag(
        "div",
        tag("p", esc(t("grounding.with")), class_="label")
        + tag("p", render_answer(start, grounded), class_="answer generated", dir=direction()),
        class_="side with",
    )
    pasted = render_facts(facts, grounded.sources) if facts else tag("span", esc(t("grounding.none")), class_="note")
    seen = tag(
        "blockquote",
        tag("span", esc(t("grounding.instruction")), class_="instruction")
        + " "
        + pasted
        + " "
        + tag("span", esc(t(f"grounding.q_{question}")), class_="question"),
        class_="prompt-seen",
        dir=direction(),
    )
    body = (
        tag("p", esc(t(f"grounding.q_{question}")), class_="question")
        + tag("div", side, class_="grounding-compare")
        + legend
        + "".join(tag("p", esc(n), class_="note") for n in notes)
        + tag("p", esc(t("grounding.seen_label")), class_="label")
        + seen
        + tag("p", t("grounding.stats", copied=num(n_copied), total=num(len(grounded.words)), new=num(n_new)), class_="stats")
        + how(t("grounding.explain", weight=num(round(100 * weight), unit="%"), rest=num(100 - round(100 * weight), unit="%")))
    )
    summary = t(
        "grounding.summary", bare=plain(start, bare), grounded=plain(start, grounded), copied=n_copied, total=len(grounded.words)
    )
    if notes:
        summary += " " + notes[0]
    return {"html": body, "text": summary, "state": {"question": question}}
