"""The plain-paragraph shortcut of render.markdown: wherever it answers, its HTML is the parser's."""

from __future__ import annotations

import random

from generator.render.markdown import _MD, plain_paragraphs, render_markdown

# Every character that means something to the parser somewhere, Unicode spaces and letters.
ALPHABET = list("abc XYZ éñ 日本 .,;:?'\"()/$%@^{}#-+=*_`~|<>&!\\[]0123456789") + [
    "\n", "\n\n", "\t", "\r", "\0", "\u00a0", "\u2003", "\u2028", "  ", "www.example.org", "https://x.org",
    "&amp;", "&#65;", "1. ", "- ", "> ", "# ", "---", "===", "    ", "<b>", "[a](b)", "**b**"]


def samples(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30))) for _ in range(count)]


def test_the_shortcut_equals_the_parser_on_random_texts():
    answered = 0
    for text in samples(20000, 7):
        plain = plain_paragraphs(text)
        if plain is not None:
            answered += 1
            assert plain == _MD.render(text), repr(text)
    assert answered > 1000  # the alphabet gives it plenty to answer


def test_the_shortcut_equals_the_parser_on_plain_prose_and_declines_the_rest():
    prose = ["Maps the street trees of the old town.", "Line one\nline two\n\nA \"quoted\" word, it's fine.\n",
             "Café con leche, 100% free; see @ana or {braces} and a # in the middle.", "", "\n\n\n"]
    for text in prose:
        assert plain_paragraphs(text) == _MD.render(text), repr(text)
    for text in ["# Title", "1. first", "a  \nb", " indented", "a *b*", "x & y", "<b>", "a\n---", "a\tb", "ends "]:
        assert plain_paragraphs(text) is None, repr(text)
        assert render_markdown(text) == _MD.render(text)
