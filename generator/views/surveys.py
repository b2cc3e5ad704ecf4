"""What the survey pages and the open data show of survey results (`surveys/*.yaml`).

Only aggregated answers exist. A survey with fewer respondents than `surveys: {min_respondents}`
(default 5) is shown and published as its total only: its answers are never broken down, on a
page, in the open data or in `diff`, since so few answers could tell who answered what.
"""

from __future__ import annotations

from ..datapackage import Table
from ..i18n import Catalogue
from ..load.surveys import broken_down
from ..model import Model, Survey
from . import charts


def survey_rows(model: Model) -> list[dict]:
    """The surveys, newest first: {"survey", "shown" (broken down or not), "questions"}."""
    least = model.config.min_respondents
    return [{"survey": s, "shown": broken_down(s, least), "questions": len(s.questions)}
            for s in sorted(model.surveys.values(), key=lambda s: (-s.date.toordinal(), s.slug))]


def survey_page(survey: Survey, model: Model, catalogue: Catalogue) -> dict:
    """One survey's page: its totals, and each question's answers as bars when it may be broken down."""
    _ = catalogue.gettext
    least = model.config.min_respondents
    shown = broken_down(survey, least)
    questions = []
    if shown:
        for i, q in enumerate(survey.questions, 1):
            n = survey.respondents
            title = (catalogue.ngettext("Answers of the {n} respondent, several each", "Answers of the {n} respondents, "
                                        "several each", n) if q.multiple else
                     catalogue.ngettext("Answers of the {n} respondent", "Answers of the {n} respondents", n))
            caption = (_("Several answers could be chosen: the counts may add up to more than the respondents.")
                       if q.multiple else _("How many respondents chose each answer; some may have skipped the question."))
            questions.append({"n": i, "question": q.question, "multiple": q.multiple,
                              "chart": charts.hbar_chart(title, f"{q.question} {caption}", list(zip(q.scale, q.counts)),
                                                         maximum=n or None, value_name=_("Respondents"))})
    return {"survey": survey, "shown": shown, "least": least, "questions": questions}


def surveys_table(model: Model) -> Table:
    """The open data table `surveys`: a row per survey, question and answer; a survey below the
    threshold is one row with its respondents only (no question, label or count)."""
    rows = []
    least = model.config.min_respondents
    for s in sorted(model.surveys.values(), key=lambda s: (s.date, s.slug)):
        if not broken_down(s, least):
            rows.append({"survey": s.slug, "date": s.date, "respondents": s.respondents, "question": None,
                         "label": None, "count": None})
            continue
        for q in s.questions:
            for label, count in zip(q.scale, q.counts):
                rows.append({"survey": s.slug, "date": s.date, "respondents": s.respondents,
                             "question": q.question, "label": label, "count": count})
    return Table(
        "surveys", "Surveys", "Aggregated survey results: for each survey, question and answer, how many "
        f"respondents chose it. A survey with fewer than {least} respondents is one row with its total only, "
        "never broken down.",
        [("survey", "string", "Survey id (file name)"), ("date", "date", "The day the survey closed"),
         ("respondents", "integer", "How many people answered the survey"),
         ("question", "string", "The question (empty for a survey shown as its total only)"),
         ("label", "string", "The answer"), ("count", "integer", "How many respondents chose it")],
        rows,
    )
