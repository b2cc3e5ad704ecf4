"""Survey results (`surveys/<slug>.yaml`): aggregated answers only, never individual responses.

A question's `scale` is its ordered answers, as they were offered; its `counts` give
every label of the scale a count and no other label. A count is at most the respondents, and the
counts add up to at most the respondents (some may skip a question) unless the question is
`multiple: true` (several answers each). A survey with fewer respondents than `surveys:
{min_respondents}` (default 5) is shown and published as its total only (`broken_down`).
"""

from __future__ import annotations

from datetime import date

from ..model import Survey, SurveyQuestion
from .yamlsafe import YamlDoc

def broken_down(survey: Survey, min_respondents: int) -> bool:
    """May the survey's answers be shown by label? Not with so few respondents that a count
    could tell who answered what."""
    return survey.respondents >= min_respondents


def survey(rel: str, stem: str, doc: YamlDoc, body: str, notes) -> Survey | None:
    d = doc.data
    respondents = d["respondents"]
    questions, ok = [], True
    for i, q in enumerate(d["questions"]):
        line = doc.where(("questions", i))[0]
        scale = tuple(q["scale"])
        counts = q["counts"]
        for label, n in counts.items():
            if label not in scale:
                l, c = doc.where(("questions", i, "counts", label), key=True)
                notes.findings.error(rel, l, c, f"'{label}' is not an answer of this question's scale "
                                                f"({', '.join(scale)}): fix the label, or add it to the scale")
                ok = False
            elif n > respondents:
                l, c = doc.where(("questions", i, "counts", label))
                notes.findings.error(rel, l, c, f"{n} people chose '{label}', but the survey has {respondents} "
                                                "respondents: fix the count or 'respondents'")
                ok = False
        missing = [label for label in scale if label not in counts]
        if missing:
            l, c = doc.where(("questions", i, "counts"), key=True)
            notes.findings.error(rel, l, c, f"no count for {', '.join(repr(m) for m in missing)}: give every answer "
                                            f"of the scale a count ({missing[0]}: 0 when nobody chose it)")
            ok = False
        total = sum(n for label, n in counts.items() if label in scale)
        if not q.get("multiple", False) and total > respondents:
            l, c = doc.where(("questions", i, "counts"), key=True)
            notes.findings.error(rel, l, c, f"the counts add up to {total}, more than the {respondents} respondents: "
                                            "fix the counts, or add 'multiple: true' if each respondent could "
                                            "choose several answers")
            ok = False
        questions.append(SurveyQuestion(question=q["question"], scale=scale,
                                        counts=tuple(counts.get(label, 0) for label in scale), line=line,
                                        multiple=bool(q.get("multiple", False))))
    if not ok:
        return None
    return Survey(slug=stem, title=d["title"], date=date.fromisoformat(d["date"]), respondents=respondents,
                  source=rel, questions=tuple(questions), description=d.get("description", ""),
                  url=d.get("url", ""))
