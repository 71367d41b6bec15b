"""French typography in a real browser: at 320 px no line starts with ? ! ; or :."""

from __future__ import annotations

import pytest

WIDTH = 320

# Every ? ! ; : whose previous visible character sits on an earlier line, with some context.
LINE_STARTS = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let previous = null;  // [node, index] of the last character that has a box
  const box = (node, i) => {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const rects = range.getClientRects();
    return rects.length && rects[0].width > 0 ? rects[0] : null;
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("pre, code, script, style, textarea")) continue;
    const text = node.data;
    for (let i = 0; i < text.length; i++) {
      const rect = box(node, i);
      if (!rect) continue;
      if ("?!;:".includes(text[i]) && previous) {
        const before = box(previous[0], previous[1]);
        if (before && before.bottom <= rect.top + 1) {
          found.push(text.slice(Math.max(0, i - 20), i + 10));
        }
      }
      previous = [node, i];
    }
  }
  return found;
}"""


def longest_french_pages(library) -> list[str]:
    modules = sorted((m for m in library.modules.values() if m.lang == "fr"),
                     key=lambda m: m.words, reverse=True)[:4]
    words = {"pupils": "eleves", "teachers": "enseignants", "parents": "parents"}
    urls = [f"/fr/{words[m.audience]}/{m.slug}" for m in modules]
    plan = max((p for p in library.lessons.values() if p.lang == "fr"), key=lambda p: len(p.text))
    return [*urls, f"/fr/enseignants/fiches/{plan.slug}", "/fr/aide", "/fr/"]


@pytest.mark.parametrize("width", [WIDTH, 375])
def test_no_french_line_starts_with_a_punctuation_mark(site, live_server, library, width):
    site.set_viewport_size({"width": width, "height": 740})
    failures = []
    for url in longest_french_pages(library):
        site.goto(live_server + url)
        failures += [f"{url}: …{context}…" for context in site.evaluate(LINE_STARTS)]
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize(("lang", "word", "verdict"), [("fr", "eleves", "✗ Pas encore"),
                                                       ("en", "pupils", "✗ Not yet")])
def test_quiz_script_words_come_from_the_catalogue(site, live_server, library, lang, word,
                                                   verdict):
    module = library.audience(lang, "pupils")[0]
    site.goto(f"{live_server}/{lang}/{word}/{module.slug}")
    question = next(q for q in module.quiz.questions if not q.multiple)
    wrong = next(o for o in question.options if not o.correct)
    site.click(f'label[for="q-{question.id}-{wrong.id}"]')
    box = site.locator(f'[data-feedback-for="{question.id}"] .verdict')
    assert box.inner_text() == verdict
