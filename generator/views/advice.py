"""The sustainability advice as the site, the terminal and the open data show it.

`advise_model` runs the rules of `value/advice.py` over the value report and the model's facts;
`AdviceView` adds what a reader needs: each finding's words in the site's language, where the
figure is shown, where its threshold comes from, and a link to the file to edit (the forge's
editor) or to propose one. Findings count people and never name one.
"""

from __future__ import annotations

from datetime import date

from value import money
from value.advice import SOURCES, Facts, Plural, advise, count_of, risks, rules
from value.report_types import Report

from ..i18n import english
from ..load import licences
from ..model import Model
from .forge import edit_url, folder_url, new_file_url
from .proposals import propose_url

# The starting text of a file a finding proposes to create.
STARTERS = {
    "LICENSE": "Put here the full text of the licence named in community.yaml.\n",
    "GOVERNANCE.md": "# Governance\n\nHow we take decisions, who may take part, and how roles rotate.\n",
    "CODE_OF_CONDUCT.md": "# Code of conduct\n\nThe behaviour we expect, and whom to contact when it is not met.\n",
    "CONTRIBUTING.md": "# How to contribute\n\nWhere to start, whom to ask, and how a change is reviewed.\n",
    ".github/FUNDING.yml": "# Where people can support the community: https://docs.github.com/en/repositories/"
                           "managing-your-repositorys-settings-and-features/customizing-your-repository/"
                           "displaying-a-sponsor-button-in-your-repository\nopen_collective: your-collective\n",
}
DOCUMENT_RULES = ("licence", "governance", "code_of_conduct", "contribution_guide")
# Counts a finding's words name with their noun ("3 projects"), in the language's plural.
COUNTED = {"projects": ("{n} project", "{n} projects")}
_RULES = {r.key: r for r in rules()}


def facts_of(model: Model, as_of: date) -> Facts:
    return Facts(
        as_of=as_of,
        documents=frozenset(model.documents),
        events=tuple(sorted(e.date for e in model.events.values())),
        projects=tuple({"id": p.slug, "status": p.status, "due": p.due, "source": p.source,
                        "open_goals": sum(1 for g in p.goals if not g.done)}
                       for p in sorted(model.projects.values(), key=lambda p: p.slug)),
        kudos=tuple({"from": k.giver, "to": k.receiver, "date": k.date} for k in model.kudos),
        ledger=tuple({"date": e.date, "amount": e.amount, "currency": e.currency, "kind": e.kind,
                      "from": e.party_from or None, "to": e.party_to or None}
                     for e in model.ledger if money.is_currency(e.currency)),  # money only: no community currency
        decisions=tuple({"date": d.date, "status": d.status, "people": len(set(d.proposed_by) | set(d.participants))}
                        for d in sorted(model.decisions.values(), key=lambda d: (d.date, d.slug))),
        licences=licence_facts(model),
    )


def licence_facts(model: Model) -> tuple:
    """The community's licences, each with whether it is open (load/licences.py): the licence, and
    the data licence where it differs."""
    community = model.community
    given = [("license", community.license)]
    if community.data_license and community.data_license != community.license:
        given.append(("data_license", community.data_license))
    return tuple({"key": key, "id": expression, "open": licences.is_open(expression)} for key, expression in given)


def advise_model(model: Model, report: Report | None, as_of: date) -> dict:
    """The advice (value/advice.py's shape), each finding with its `file` to edit and its `url`."""
    advice = advise(report, facts_of(model, as_of), model.config.advice)
    for finding in advice["findings"]:
        finding["file"], finding["url"], finding["action"] = target(model, finding)
        finding["shown_at"] = shown_at(model, finding)
    return advice


def target(model: Model, finding: dict) -> tuple[str, str | None, str]:
    """(the file to edit or create, relative to the community; the forge link that does it; what
    the link does: edit | create | propose | folder)."""
    forge = model.config.forge
    kind, where = _RULES[finding["rule"]].target
    if finding["rule"] in DOCUMENT_RULES or kind == "guide":
        document = model.documents.get("contribution_guide" if kind == "guide" else finding["rule"])
        if document:
            return document, edit_url(forge, document), "edit"
        folder, _, name = where.rpartition("/")
        return where, new_file_url(forge, folder, name, STARTERS.get(where, "")), "create"
    if kind == "new":
        folder, _, name = where.rpartition("/")
        return where, new_file_url(forge, folder, name, STARTERS.get(where, "")), "create"
    if kind == "propose":
        return f"{where}/", propose_url(forge, where), "propose"
    if kind == "edit":
        return where, edit_url(forge, where), "edit"
    if kind == "project":
        return finding["file"], edit_url(forge, finding["file"]), "edit"
    return f"{where}/", folder_url(forge, where), "folder"


def shown_at(model: Model, finding: dict) -> str:
    """The site path where the finding's figure is shown ("" when the site does not show it)."""
    if finding["rule"] in DOCUMENT_RULES:
        document = model.documents.get(finding["rule"], "")
        if document.startswith("pages/"):
            return f"{document[len('pages/'):-len('.md')]}/"
        return ""
    return _RULES[finding["rule"]].shown_at


def value_text(catalogue, unit: str, value) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if unit == "share":
        return catalogue.percent(value, 0)
    return catalogue.number(value)


def _arg(catalogue, key: str, value) -> str:
    if key in COUNTED and isinstance(value, int):
        return catalogue.ngettext(*COUNTED[key], value)
    return catalogue.number(value) if isinstance(value, (int, float)) else str(value)


def _args(catalogue, finding: dict) -> dict:
    rule = _RULES[finding["rule"]]
    args = {k: _arg(catalogue, k, v) for k, v in finding["args"].items()}
    threshold = finding["threshold"]
    args["threshold"] = value_text(catalogue, rule.unit, threshold) if threshold is not None else ""
    if rule.unit == "months" and threshold is not None:  # with its noun, for a text that counts something else
        args["period"] = catalogue.ngettext("{n} month", "{n} months", threshold)
    args["value"] = value_text(catalogue, rule.unit, finding["value"])
    return args


def words(catalogue, text, finding: dict, args: dict) -> str:
    """A rule's text (a str or a Plural) in the site's language, for `finding`."""
    if isinstance(text, Plural):
        return catalogue.ngettext(text.singular, text.plural, count_of(text, finding), **args)
    return catalogue.gettext(text, **args)


def message(catalogue, finding: dict) -> str:
    return words(catalogue, _RULES[finding["rule"]].text(finding), finding, _args(catalogue, finding))


class AdviceView:
    """What the sustainability page shows."""

    def __init__(self, model: Model, advice: dict, catalogue, has_value: bool = True):
        self.model, self.advice, self.catalogue = model, advice, catalogue
        self.has_value = has_value  # without history the site has no value/ page to link to

    @property
    def risks(self) -> int:
        return risks(self.advice)

    def findings(self, kind: str) -> list[dict]:
        catalogue = self.catalogue
        result = []
        for f in self.advice["findings"]:
            if f["kind"] != kind:
                continue
            rule = _RULES[f["rule"]]
            title, url = SOURCES[f["source"]]
            result.append({
                "rule": f["rule"], "kind": kind, "dimension": f["dimension"], "text": message(catalogue, f),
                "test": words(catalogue, rule.test, f, {"threshold": _args(catalogue, f)["threshold"]}),
                "step": catalogue.gettext(rule.step), "file": f["file"], "url": f["url"],
                "action": f["action"],
                "shown_at": "" if not self.has_value and f["shown_at"].startswith("value/") else f["shown_at"],
                "source": {"title": title, "url": url},
            })
        return result

    def page(self) -> dict:
        catalogue = self.catalogue
        return {
            "risks": self.findings("risk"),
            "strengths": self.findings("strength"),
            "micro": self.advice["micro"],
            "has_value": self.has_value,
            "as_of": date.fromisoformat(self.advice["as_of"]),
            "rules": [{**r, "test": words(catalogue, _RULES[r["key"]].test, r,
                                          {"threshold": value_text(catalogue, r["unit"], r["threshold"])
                                           if r["threshold"] is not None else ""}),
                       "source": dict(zip(("title", "url"), SOURCES[r["source"]]))}
                      for r in self.advice["rules"]],
        }


def terminal_lines(model: Model, advice: dict, catalogue) -> list[str]:
    """The findings as `commonplace check --advice` prints them: risks, then strengths."""
    lines = []
    for kind, heading in (("risk", "Risks"), ("strength", "Strengths")):
        found = [f for f in advice["findings"] if f["kind"] == kind]
        lines.append(f"{heading} ({len(found)})")
        for f in found:
            rule = _RULES[f["rule"]]
            lines.append(f"  {'!' if kind == 'risk' else '+'} {f['rule']}: {message(catalogue, f)}")
            if kind == "risk":
                test = words(catalogue, rule.test, f, {"threshold": _args(catalogue, f)["threshold"]})
                lines.append(f"      threshold: {test} "
                             f"({SOURCES[f['source']][0]})")
                lines.append(f"      next step: {catalogue.gettext(rule.step)} ({f['action']} {f['file']})")
    return lines


def changes_lines(base: dict | None, head: dict) -> list[str]:
    """What a change does to the findings, as Markdown lines for `commonplace diff`: the risks it
    adds and those it resolves (by rule), and the strengths it adds or loses; none when nothing moves."""
    catalogue = english()

    def keyed(advice):
        return {(f["kind"], f["rule"]): f for f in (advice or {}).get("findings", ())}

    before, after = keyed(base), keyed(head)
    lines = []
    for kind, verb_new, verb_gone in (("risk", "adds the risk", "resolves the risk"),
                                      ("strength", "adds the strength", "loses the strength")):
        for key in sorted(after.keys() - before.keys(), key=lambda k: k[1]):
            if key[0] == kind:
                lines.append(f"- This change {verb_new} `{key[1]}`: {message(catalogue, after[key])}")
        for key in sorted(before.keys() - after.keys(), key=lambda k: k[1]):
            if key[0] == kind:
                lines.append(f"- This change {verb_gone} `{key[1]}` ({message(catalogue, before[key])})")
    if lines:  # nothing added or resolved: `diff` says nothing
        lines.append(f"- Risks: {risks(base) if base else 0} before, {risks(head)} after.")
    return lines
