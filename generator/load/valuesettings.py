"""What the schema cannot say of `commonplace.yaml`'s `value:` settings, at their lines.

The schema bounds each weight (0 to 1,000,000) and gives the salary's form; here: the dimension
weights are not all 0 (a contributor's value divides by their sum), and the salary is in a
currency that is money (not `XXX`, gold or a unit of account). The value engine refuses the same
settings, without a line to point at (value/report.py, value/money.py): these findings come first.
"""

from __future__ import annotations

import re
from decimal import Decimal

from value import money
from value.registry import DIMENSIONS

from ..errors import Finding
from .yamlsafe import YamlDoc

CODE = re.compile(r"[A-Z]{3}")  # the schema's form of a currency code: another form is its to report


def _number(value) -> bool:
    """A number the schema may accept (true/false, text and NaN are its to report)."""
    return type(value) is int or (type(value) is Decimal and value.is_finite())


def _weighs(value) -> bool:
    """Is this weight above 0 for the value engine, which reads it as a float (1e-400 is 0.0)?"""
    return value > 0 and (value >= 1 or float(value) > 0)


def check(doc: YamlDoc, rel: str) -> list[Finding]:
    """The findings on `commonplace.yaml`, valid or not (what the schema refuses is its to report)."""
    value = doc.data.get("value") if isinstance(doc.data, dict) else None
    if not isinstance(value, dict):
        return []
    findings = []
    weights = value.get("weights")
    if isinstance(weights, dict) and all(_number(weights.get(d, 1)) for d in DIMENSIONS) \
            and not any(_weighs(weights.get(d, 1)) for d in DIMENSIONS):
        line, col = doc.where(("value", "weights"), key=True)
        findings.append(Finding(rel, line, col, "'weights': every dimension weighs 0, so no one's value can be "
                                                "worked out: give at least one dimension a weight above 0 "
                                                "(a dimension left out weighs 1)"))
    salary = value.get("salary")
    code = salary.get("currency") if isinstance(salary, dict) else None
    if isinstance(code, str) and CODE.fullmatch(code) and not money.is_currency(code):
        line, col = doc.where(("value", "salary", "currency"))
        findings.append(Finding(rel, line, col, money.refusal(code)))
    return findings
