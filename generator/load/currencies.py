"""Community currencies (`currencies:` in commonplace.yaml) and the ledger's transfers in them.

A community may keep units that are not money: a time bank's hours, a mutual credit, a local
currency. Each is declared by a code of 3 to 8 capital letters that is not an ISO 4217 code (an
ISO code names money, whose decimals ISO 4217 gives: it needs no declaration, and a declaration
would let a community's hours pass for euros), with a name, a symbol and its decimals. Once
declared (`value.money.declare`), the ledger, reward plans and `commonplace rewards --currency`
take the code as they take EUR; amounts are held to its decimals; it is never converted nor
added to money.

A `transfer` entry moves a community currency from one member to another (an hour given): both
`from` and `to` are member handles, checked as every handle is; it is neither income nor
spending, and leaves the community's own balance as it was.
"""

from __future__ import annotations

from value import money

from ..errors import Findings
from .listing import SLUG
from .yamlsafe import YamlDoc


def _iso_name(code: str) -> str:
    """The English name of an ISO 4217 code ("EUR": "Euro"), or the code."""
    from babel.numbers import get_currency_name

    try:
        return get_currency_name(code, locale="en")
    except Exception:  # noqa: BLE001 - a name is only for the message
        return code


def declared(doc: YamlDoc, rel: str, findings: Findings | None) -> dict[str, money.Unit]:
    """{code: Unit} of each usable declaration under `currencies:`; an error at the code's line
    for a code of the wrong form, or one that ISO 4217 already assigns."""
    given = doc.data.get("currencies") if isinstance(doc.data, dict) else None
    units: dict[str, money.Unit] = {}
    if not isinstance(given, dict):
        return units
    if len(given) > money.MAX_UNITS:
        if findings is not None:
            line, col = doc.where(("currencies",), key=True)
            findings.error(rel, line, col, f"`currencies:` declares {len(given)} community currencies, more than the "
                                           f"{money.MAX_UNITS} a community may: keep those its ledger uses")
        return units
    for code, spec in given.items():
        problem = refusal(code)
        if problem:
            if findings is not None:
                line, col = doc.where(("currencies", code), key=True)
                findings.error(rel, line, col, problem)
            continue
        if not isinstance(spec, dict) or not {"name", "symbol", "decimals"} <= spec.keys():
            continue  # the schema says what is missing
        decimals = spec["decimals"]
        if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= money.MAX_UNIT_DECIMALS:
            continue  # likewise
        kind = spec.get("kind", "other")
        units[code] = money.Unit(code=code, name=str(spec["name"]), symbol=str(spec["symbol"]), decimals=decimals,
                                 kind=kind if kind in money.UNIT_KINDS else "other")
    return dict(sorted(units.items()))


def refusal(code) -> str:
    """Why `code` cannot name a community currency ("" when it can)."""
    if not isinstance(code, str) or not money.COMMUNITY_CODE.fullmatch(code):
        shown = code if isinstance(code, str) else repr(code)
        fix = "".join(c for c in str(code).upper() if "A" <= c <= "Z")[:8]
        example = fix if len(fix) >= 3 and not money.is_currency(fix) else "HORA"
        return (f"community currency code '{shown}' must be 3 to 8 capital letters A-Z, such as {example}: "
                "rename it")
    if money.is_currency(code):
        return (f"'{code}' is the ISO 4217 code of the {_iso_name(code)}: amounts in it need no declaration, and a "
                "community currency needs a code of its own that ISO 4217 does not assign (such as HORA for hours): "
                "rename it or remove the declaration")
    if code in money.NOT_MONEY:
        return (f"'{code}' is an ISO 4217 code ({money.NOT_MONEY[code]}): a community currency needs a code of its "
                "own that ISO 4217 does not assign, such as HORA: rename it")
    return ""


def check_transfer(rel: str, doc: YamlDoc, i: int, entry: dict, code: str, findings: Findings, references) -> bool:
    """A transfer's own rules, each an error at its line: in a community currency, from one member
    to another (both handles, checked once every member is loaded), nothing of income or payouts.
    True when the entry may be kept."""
    ok = True
    if money.unit(code) is None:
        line, col = doc.where(("entries", i, "kind"))
        findings.error(rel, line, col, f"a transfer moves a community currency between members, and {code} is money: "
                                       "record money as the donation, expense or reward it is, or declare the "
                                       "community currency under `currencies:` in commonplace.yaml")
        ok = False
    for key, who in (("from", "gave"), ("to", "received")):
        value = entry.get(key)
        if not value:
            line, col = doc.where(("entries", i))
            findings.error(rel, line, col, f"a transfer needs '{key}': the handle of the member who {who}")
            ok = False
        elif not isinstance(value, str) or not SLUG.match(value):
            line, col = doc.where(("entries", i, key))
            findings.error(rel, line, col, f"'{key}' of a transfer is a member's handle (such as ana-lopez), "
                                           f"not '{value}': transfers are between members")
            ok = False
        else:
            references.add(rel, doc, ("entries", i, key), "member", value)
    if ok and entry["from"] == entry["to"]:
        line, col = doc.where(("entries", i, "to"))
        findings.error(rel, line, col, f"a transfer from '{entry['from']}' to '{entry['to']}' moves nothing: "
                                       "'from' and 'to' are two different members")
        ok = False
    for key, why in (("by", "names who raised an income"), ("plan", "names the reward plan a payout pays out")):
        if entry.get(key):
            line, col = doc.where(("entries", i, key))
            findings.error(rel, line, col, f"'{key}' {why}, and a transfer is neither: remove '{key}'")
            ok = False
    return ok
