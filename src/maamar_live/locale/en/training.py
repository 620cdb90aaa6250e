"""Strings of the training widgets translated to English."""

STRINGS = {
    "trial-error.title": "Trial, error and correction",
    "trial-error.caption": "The model guesses the shelf's height from the booklet's picture, measures how far off it was, and corrects part of the error. How much to correct each time? Try it.",
    "trial-error.boldness": "How much to correct each time (part of the error)",
    "trial-error.step": "One try",
    "trial-error.finish": "Run to the end",
    "trial-error.reset": "Start over",
    "trial-error.series_guess": "guess",
    "trial-error.plot_title": "The guesses approach the right height",
    "trial-error.plot_desc": "Tries so far: {tries}. The guess is {last} cm; the right height is {target} cm (the dashed line).",
    "trial-error.x_label": "try",
    "trial-error.y_label": "height (cm)",
    "trial-error.stats": "Tries: {tries} · last guess: {guess} cm · error: {error} cm",
    "trial-error.summary": "Tries so far: {tries}. The guess is {guess} cm, an error of {error} cm.",
    "trial-error.settled": "The shelf is in place: the error is under half a centimetre after {tries} tries.",
    "trial-error.diverging": "Too bold a correction: each one overshoots to the other side by more, and the guess runs away.",
    "trial-error.not_yet": "Not there yet. Every try makes the error smaller.",
    "trial-error.settled_overshot": "The shelf is in place after {tries} tries, but on the way the guess jumped past the right height: correcting more than the whole error lands on the other side.",
    "trial-error.not_yet_overshot": "Not there yet. Every correction jumps past the right height to the other side, and still the error shrinks.",
    "word-neighbours.saturated": (
        "With only {dims} numbers per word almost every neighbour scores {one}: similarity measures the direction "
        "of a word's list of numbers, and so few numbers leave few directions, so hundreds of words crowd into "
        "almost the same one. Add numbers and the words spread out again, and their differences show."
    ),
}
