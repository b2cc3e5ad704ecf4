"""What the schema cannot say of `commonplace.yaml`'s `value:` settings, at their lines.

The schema bounds each weight (0 to 1,000,000) and gives the salary's form; here: the dimension
weights are not all 0 (a contributor's value divides by their sum), and the salary is in a
currency that is money (not `XXX`, gold or a unit of account). The value engine refuses the same
settings, without a line to point at (value/report.py, value/money.py): these findings come first.
"""

from __future__ import annotations

from value import money
from value.registry import DIMENSIONS

from ..errors import Finding
from .yamlsafe import YamlDoc


def check(doc: YamlDoc, rel: str) -> list[Finding]:
    """The findings on a schema-valid `commonplace.yaml`."""
    value = doc.data.get("value") if isinstance(doc.data, dict) else None
    if not isinstance(value, dict):
        return []
    findings = []
    weights = value.get("weights")
    if isinstance(weights, dict) and not sum(float(weights.get(d, 1)) for d in DIMENSIONS):
        line, col = doc.where(("value", "weights"), key=True)
        findings.append(Finding(rel, line, col, "'weights': every dimension weighs 0, so no one's value can be "
                                                "worked out: give at least one dimension a weight above 0 "
                                                "(a dimension left out weighs 1)"))
    salary = value.get("salary")
    if isinstance(salary, dict) and not money.is_currency(salary.get("currency")):
        line, col = doc.where(("value", "salary", "currency"))
        findings.append(Finding(rel, line, col, money.refusal(salary.get("currency"))))
    return findings
