"""In a long conversation, summarize the main points before you go on: it "refreshes" the window.

A chat model sees only the last ``window`` words of the conversation.  Dana
tells it two facts at the start (her name and allergy, her dog's name); then
comes small talk — lines of the site's corpus, drawn by the seed — and every
new message pushes the oldest words out of the window (greyed out here).

Asking about an early fact is answered by a mechanism that can use only what
is inside the window, like the model: find the clause in the window that best
overlaps the question (each shared word weighted by how rare it is in the
training text, its IDF), and copy from it the words the question did not
contain — the span that answers it.  When no clause covers at least half of
the question's weight it says it does not know; when a wrong clause does (the
dog's name for "what is my name?") it answers wrongly, just as confidently.

The "summarize" button is the article's advice: Dana writes a short recap at
the end of the conversation, so it is inside the window again.  The recap is
extractive — her own sentences, scored by TF‑IDF (the mean IDF of their words
against the training text) times one plus the number of "entities" in them
(words the training text never contained — names, allergies — and numbers),
and kept, best first, while they score at least half the best one and fit a
word budget (at most half the window, so the recap itself fits).  Small talk
scores low because every word of it is common; the facts score high because
they carry names and things no training text mentions.  With the recap in the window the same question finds its
answer again; more small talk will push the recap out too.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..models import summary
from ..models.summary import is_word
from ..text import corpus
from ..kit.i18n import direction, t
from ..kit.markup import esc, how, isolate, num, tag
from ..kit.spec import Param, StateError, button, either, flag, list_of, one_of, plain, row, select, slider, step, whole
from ..text.tokenizer import detokenize, is_question_word, tokenize
from ..text.tokenizer import sentences as split_sentences

KIND = "summarize-refresh"
QUESTIONS = ("allergy", "dog", "name")
FACT_TURNS = 4  # the opening messages, strings "summarize-refresh.turn_0".. (Dana, bot, Dana, bot)
START_TALK = 4  # small-talk messages before the reader does anything
ADD = 5  # messages added by "talk"
MAX_TURNS = 80
BUDGET = 20  # most words in a summary (without its opening words); at most half the window
SHARE = 0.5  # a clause must cover this share of the question's weight to be an answer
MAIN = 0.5  # a summary sentence scores at least this share of the best one
_LINE = whole(0, 10**6)  # a corpus line number (``check_references`` checks it exists)
_FACT = whole(0, FACT_TURNS - 1)
STATE = {
    "turns": list_of(
        either(
            row(one_of("f"), _FACT),
            row(one_of("t"), _LINE),
            row(one_of("s"), list_of(either(row(one_of("f"), _FACT, whole(0, 50)), row(one_of("t"), _LINE, whole(0, 50))), 12)),
        ),
        most=MAX_TURNS + 20,
        least=1,
    ),
    "asked": flag(),  # the reader asked: the question is answered again after every change
}
PARAMS = {
    "window": Param("int", 60, min=20, max=200, help="how many of the last words the model sees"),
    "question": Param("choice", QUESTIONS[0], choices=QUESTIONS, help="which early fact to ask about"),
    "seed": Param("int", 0, min=0, max=10**6, help="which small talk"),
}
CONTROLS = [
    slider("window", "summarize-refresh.window", step=5, live=True),
    # the caption's sequence: ask about an early fact, summarize, ask again
    select("question", "summarize-refresh.question", [(q, f"summarize-refresh.q_{q}") for q in QUESTIONS], action="ask"),
    step(1, button("ask", "summarize-refresh.ask", primary=True)),
    step(2, button("summarize", "summarize-refresh.summarize")),
    button("talk", "summarize-refresh.talk"),
    button("reset", "summarize-refresh.reset"),
]


@lru_cache(maxsize=1)
def talk_lines() -> tuple[int, ...]:
    """Corpus lines that make plausible small talk: not in a story, 4–11 words, no question."""
    in_stories = {line for lines in corpus.stories().values() for line in lines}
    out = []
    for i, line in enumerate(corpus.load_lines()):
        n = sum(map(is_word, tokenize(line)))
        if line not in in_stories and 4 <= n <= 11 and "?" not in line:
            out.append(i)
    return tuple(out)


@lru_cache(maxsize=16)
def talk_order(seed: int) -> tuple[int, ...]:
    lines = talk_lines()
    return tuple(lines[i] for i in np.random.default_rng(seed).permutation(len(lines)))


# --- the conversation ---------------------------------------------------------------
# A turn is stored by reference, so the state is small and checkable:
#   ["f", i]                  opening message i
#   ["t", line]               small talk: corpus line number
#   ["s", [["f", i, k], …]]   Dana's summary: sentence k of the referenced message


def fresh(seed: int) -> list:
    order = talk_order(seed)
    return [["f", i] for i in range(FACT_TURNS)] + [["t", order[k]] for k in range(START_TALK)]


def base_text(code: list) -> str:
    return t(f"summarize-refresh.turn_{code[1]}") if code[0] == "f" else corpus.load_lines()[code[1]]


@lru_cache(maxsize=512)
def sentences(text: str) -> tuple[tuple[str, ...], ...]:
    """The text's tokens split into sentences (cached: the turns are re-read on every call)."""
    return tuple(tuple(sentence) for sentence in split_sentences(tokenize(text)))


def turn_tokens(code: list) -> list[str]:
    if code[0] == "s":
        out = tokenize(t("summarize-refresh.summary_opening"))
        for kind, i, k in code[1]:
            out += list(sentences(base_text([kind, i]))[k])
        return out
    return tokenize(base_text(code))


def speaker(turns: list, position: int) -> str:
    """Dana opens; the bot answers; small talk alternates; a summary is Dana's."""
    code = turns[position]
    if code[0] == "f":
        return "user" if code[1] % 2 == 0 else "bot"
    if code[0] == "s":
        return "user"
    return "bot" if position and speaker(turns, position - 1) == "user" else "user"


def check_references(turns: tuple) -> None:
    """What ``STATE`` cannot say: every corpus line and sentence a turn names exists."""
    n_lines = len(corpus.load_lines())
    for i, code in enumerate(turns):
        for ref in code[1] if code[0] == "s" else [(*code, 0)]:
            if ref[0] == "t" and ref[1] >= n_lines:
                raise StateError(f"turns[{i}]: the corpus has no line {ref[1]}")
            if code[0] == "s" and ref[2] >= len(sentences(base_text(list(ref[:2])))):
                raise StateError(f"turns[{i}]: that message has no sentence {ref[2]}")


def visible_from(tokens: list[list[str]], window: int) -> list[int]:
    """For each turn, the index of its first token inside the window (len = none, 0 = all)."""
    left = window
    starts = [0] * len(tokens)
    for i in range(len(tokens) - 1, -1, -1):
        words = [j for j, w in enumerate(tokens[i]) if is_word(w)]
        if left >= len(words):
            left -= len(words)
            starts[i] = 0
        else:
            starts[i] = words[len(words) - left] if left > 0 else len(tokens[i])
            left = 0
    return starts


# --- the summary -------------------------------------------------------------------


def summarize(turns: list, budget: int = BUDGET) -> list[list]:
    """Dana's own sentences, best TF‑IDF first, within ``budget`` words, skipping ones that
    score less than MAIN of the best or whose words are mostly covered already;
    returned in conversation order."""
    candidates, seen_refs = [], set()
    for position, code in enumerate(turns):
        if speaker(turns, position) != "user":
            continue
        refs = code[1] if code[0] == "s" else [[code[0], code[1], k] for k in range(len(sentences(base_text(code))))]
        for ref in refs:
            if tuple(ref) in seen_refs:
                continue
            seen_refs.add(tuple(ref))
            tokens = sentences(base_text(ref[:2]))[ref[2]]
            candidates.append((summary.sentence_score(tokens), len(candidates), list(ref), tokens))
    chosen = summary.pick([tokens for _, _, _, tokens in candidates], [c[0] for c in candidates], budget, MAIN)
    return [candidates[i][2] for i in chosen]


# --- answering from the window ---------------------------------------------------------


def answer(question: str, visible: list[tuple[int, list[str]]]) -> tuple[str | None, int | None, list[str]]:
    """Best clause of the visible text by IDF-weighted overlap with the question; the answer
    is the run of words around the clause's rarest word that the question did not contain.

    Returns (span or None for "don't know", turn it came from, the clause)."""
    asked = [w for w in tokenize(t(f"summarize-refresh.q_{question}")) if not is_question_word(w)]
    return summary.answer_span(asked, visible, SHARE)


# --- the page ---------------------------------------------------------------------------


def render_chat(turns, tokens, starts, evidence) -> str:
    items, marker_done = [], False
    marker = tag("li", esc(t("summarize-refresh.marker")), class_="window-marker", data_scroll_to=True)
    if all(s == 0 for s in starts):
        items.append(tag("li", esc(t("summarize-refresh.marker_all")), class_="window-marker", data_scroll_to=True))
        marker_done = True
    for i, (code, toks, start) in enumerate(zip(turns, tokens, starts)):
        who = speaker(turns, i)
        if start < len(toks) and not marker_done:
            items.append(marker)
            marker_done = True
        where = "in-window" if start == 0 else "out-of-window" if start >= len(toks) else "partial"
        if where == "partial":
            text = (
                tag("span", esc(detokenize(toks[:start])), class_="out-of-window")
                + " "
                + tag("span", esc(detokenize(toks[start:])), class_="in-window")
            )
        else:
            text = esc(detokenize(toks))
        text = isolate(detokenize(toks), body=text)  # a Hebrew line in an English chat keeps its full stop
        label = t("summarize-refresh.who_summary" if code[0] == "s" else f"summarize-refresh.who_{who}")
        status = (
            "" if where == "in-window" else " " + tag("span", esc(t(f"summarize-refresh.status_{where}")), class_="turn-status")
        )
        classes = (
            ["turn", who, where]
            + (["recap"] if code[0] == "s" else [])
            + (["fact"] if code[0] == "f" and who == "user" else [])
            + (["evidence"] if i == evidence else [])
        )
        items.append(tag("li", tag("span", esc(label), class_="speaker") + " " + text + status, class_=" ".join(classes)))
    return tag("ol", "".join(items), class_="chat", tabindex="0")  # a scrolling box: reachable by keyboard


def run(params: dict, action: str, state) -> dict:
    seed, window, question = params["seed"], params["window"], params["question"]
    budget = min(BUDGET, window // 2)
    if action in ("init", "reset") or state is None:
        turns, asked = fresh(seed), False
    else:
        check_references(state.turns)
        turns, asked = plain(state.turns), state.asked
    notes = []
    if action == "talk":
        if len(turns) + ADD > MAX_TURNS:
            notes.append(t("summarize-refresh.full", count=MAX_TURNS))
        else:
            order = talk_order(seed)
            said = sum(c[0] == "t" for c in turns)
            turns += [["t", order[(said + k) % len(order)]] for k in range(ADD)]
    elif action in ("summarize", "summarise"):  # the old spelling: pages built before the rename
        refs = summarize(turns, budget)
        if not refs:
            notes.append(t("summarize-refresh.nothing"))
        elif turns[-1] == ["s", refs]:
            notes.append(t("summarize-refresh.again"))
        elif len(turns) >= MAX_TURNS + 20:
            notes.append(t("summarize-refresh.full", count=MAX_TURNS))
        else:
            turns.append(["s", refs])
    elif action == "ask":
        asked = True

    tokens = [turn_tokens(c) for c in turns]
    starts = visible_from(tokens, window)
    total = sum(is_word(w) for toks in tokens for w in toks)
    out_words = sum(is_word(w) for toks, s in zip(tokens, starts) for w in toks[:s])
    visible = [(i, toks[s:]) for i, (toks, s) in enumerate(zip(tokens, starts)) if s < len(toks)]

    reply, verdict, evidence, clause = "", "", None, []
    if asked:
        span, evidence, clause = answer(question, visible)
        truth, _, _ = answer(question, [(i, toks) for i, toks in enumerate(tokens)])
        if span is None:
            reply, case = t("summarize-refresh.dont_know"), "unknown"
        else:
            reply = t(f"summarize-refresh.a_{question}", answer=span)
            case = "right" if span == truth else "wrong"
        verdict = t(f"summarize-refresh.verdict_{case}")
    body = (
        tag("p", t("summarize-refresh.stats", total=num(total), window=num(window), out=num(out_words)), class_="stats")
        + render_chat(turns, tokens, starts, evidence)
        + "".join(tag("p", esc(n), class_="note") for n in notes)
    )
    if asked:
        body += (
            tag("p", esc(t(f"summarize-refresh.q_{question}")), class_="question")
            + tag(
                "p",
                tag("span", esc(t("summarize-refresh.who_bot")), class_="speaker") + " " + esc(reply),
                class_="answer generated",
                dir=direction(),
            )
            + (tag("p", esc(t("summarize-refresh.source", clause=detokenize(clause))), class_="explain") if clause else "")
            + tag("p", esc(verdict), class_="verdict")
        )
    body += how(esc(t("summarize-refresh.explain", budget=budget)))
    summary = t("summarize-refresh.summary", total=total, window=window, out=out_words)
    if asked:
        summary += (
            " "
            + t("summarize-refresh.summary_answer", question=t(f"summarize-refresh.q_{question}"), reply=reply)
            + " "
            + verdict
        )
    if notes:
        summary += " " + notes[0]
    return {"html": body, "text": summary, "state": {"turns": turns, "asked": asked}}
