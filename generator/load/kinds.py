"""One builder per file kind: from a parsed, valid document to the model's objects.

Each document has passed its schema, so a builder reads its keys without guarding them; it
reports what a schema cannot check (a handle that differs from the file name, a period that
ends before it starts, money with more decimals than its currency has); the names of members and
projects a file gives are read by the loader (`references.NAMES`). A collection's builders
take `(rel, stem, doc, body, notes)` and return the item published as `stem` (None to leave
it out); the builders of files that list entries take `(rel, doc, notes)` and return the list.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from value import money
from value.contributions import CONTRIBUTIONS, KINDS
from value.kinds import FORGE_KINDS
from value.registry import DIMENSIONS
from value.signatures import key_problem, normal_key

from ..model import (
    Community,
    Config,
    Contribution,
    Discover,
    Event,
    Forge,
    FreePage,
    Goal,
    Kudos,
    LedgerEntry,
    Link,
    Member,
    Peer,
    Project,
    RewardPlan,
    Usage,
)
from ..errors import Findings
from ..vocabulary import INCOME_KINDS
from . import currencies as community_currencies
from . import settlements
from .addresses import Addresses
from .eventtimes import event_times
from .logins import FORGES, Logins
from .lookalike import Lookalikes
from .references import References
from .yamlsafe import YamlDoc


@dataclass
class Notes:
    """What a builder finds besides what it builds."""

    findings: Findings  # problems in the file
    references: References  # members and projects files name (see `references.NAMES`), checked once all are loaded
    addresses: Addresses = field(default_factory=Addresses)  # members' e-mails, checked once all are loaded
    logins: Logins = field(default_factory=Logins)  # members' forge logins, likewise
    lookalikes: Lookalikes = field(default_factory=Lookalikes)  # members' names, likewise


def _date(text) -> date | None:
    return date.fromisoformat(text) if text else None


def _links(items) -> tuple[Link, ...]:
    return tuple(Link(i["title"], i["url"]) for i in items or ())


def config(doc: YamlDoc, rel: str = "commonplace.yaml", findings: Findings | None = None) -> Config:
    d = doc.data
    forge = None
    if "forge" in d:
        f = d["forge"]
        forge = Forge(f["kind"], f["repo"], f.get("branch", "main"), f.get("host", ""), f.get("path", "").strip("/"),
                      f.get("api", ""))
    value = d.get("value", {})
    salary = value.get("salary", {})
    if findings is not None:
        _check_kinds(rel, doc, value.get("kinds", {}), findings)
    base_url = d.get("base_url", "/")
    return Config(
        title=d["title"],
        description=d.get("description", ""),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        language=d.get("language", "en"),
        forge=forge,
        weights=dict(value.get("weights", {})),
        bots=tuple(value.get("bots", ())),
        salary=(Decimal(str(salary.get("amount", "55000"))), salary.get("currency", "USD")),
        inactive_days=value.get("inactive_days", 180),
        kinds={k: (dict(v) if isinstance(v, dict) else v) for k, v in value.get("kinds", {}).items()},
        non_members=d.get("privacy", {}).get("non_members", "name"),
        opt_out=frozenset(str(x).strip().lower() for x in d.get("privacy", {}).get("opt_out", ())),
        feed_entries=d.get("feed", {}).get("entries", 20),
        history=d.get("history", "folder"),
        paths=tuple(d.get("paths", ())),
        earliest=_date(d.get("dates", {}).get("earliest")),
        latest=_date(d.get("dates", {}).get("latest")),
        advice={k: dict(v) for k, v in d.get("advice", {}).items()},
        currencies=community_currencies.declared(doc, rel, findings),
        min_respondents=d.get("surveys", {}).get("min_respondents", 5),
    )


KIND_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_kinds(rel: str, doc: YamlDoc, given: dict, findings: Findings) -> None:
    """What the schema cannot say of `value.kinds`: a kind's name, and a known kind's misspelling
    (`comit: 2` would otherwise declare a kind of its own that no record uses)."""
    for key, spec in given.items():
        line, col = doc.where(("value", "kinds", key), key=True)
        if key in KINDS:
            continue
        if not KIND_NAME.match(key):
            findings.error(rel, line, col, f"kind '{key}' may use only lowercase letters a-z, digits and '_', "
                                           "starting with a letter: rename it")
            continue
        close = difflib.get_close_matches(key, sorted(KINDS), n=1, cutoff=0.8)
        if close and not isinstance(spec, dict):
            findings.error(rel, line, col, f"unknown kind '{key}' (did you mean '{close[0]}'?); a kind of your "
                                           "own takes {weight, dimension}")


def community(doc: YamlDoc) -> Community:
    d = doc.data
    return Community(
        name=d["name"],
        mission=d["mission"],
        license=d["license"],
        areas=tuple(d["areas"]),
        tagline=d.get("tagline", ""),
        data_license=d.get("data_license", d["license"]),
        governance=d.get("governance", ""),
        legal_form=d.get("legal_form", ""),
        economic_model=d.get("economic_model", ""),
        scope=d.get("scope", ""),
        location=d.get("location", ""),
        founded=_date(d.get("founded")),
        contact=d.get("contact", ""),
        links=_links(d.get("links")),
    )


def member(rel: str, stem: str, doc: YamlDoc, body: str, notes: Notes) -> Member | None:
    d = doc.data
    renamed = d.get("handle", stem) != stem
    if renamed:  # reported, and the rest of the file still checked: the member is left out
        line, col = doc.where(("handle",))
        notes.findings.error(rel, line, col, f"handle '{d['handle']}' differs from the file name: use '{stem}' or rename the file")
    notes.lookalikes.add(rel, doc, d["name"])
    for i, email in enumerate(d.get("emails", ())):
        notes.addresses.add(rel, doc, i, email, stem, d["name"])
    keys = []
    for i, key in enumerate(d.get("signing_keys", ())):
        problem = key_problem(key)
        if problem:
            line, col = doc.where(("signing_keys", i))
            notes.findings.error(rel, line, col, f"'signing_keys': {problem}")
        else:
            keys.append(normal_key(key))
            notes.addresses.add_key(rel, doc, i, keys[-1], stem)
    for forge in FORGES:
        if d.get(forge):
            notes.logins.add(forge, d[forge], rel, doc, stem)
    if renamed:
        return None
    return Member(
        handle=stem,
        name=d["name"],
        source=rel,
        emails=tuple(e.strip().lower() for e in d.get("emails", ())),
        roles=tuple(d.get("roles", ())),
        affiliation=d.get("affiliation", ""),
        bio=d.get("bio", ""),
        links=_links(d.get("links")),
        visibility=d.get("visibility", "public"),
        joined=_date(d.get("joined")),
        signing_keys=tuple(keys),
        github=d.get("github", ""),
        gitlab=d.get("gitlab", ""),
    )


def project(rel: str, stem: str, doc: YamlDoc, body: str, notes: Notes) -> Project:
    d = doc.data
    goals = []
    for i, g in enumerate(d.get("goals", ())):
        if g.get("done_at") and not g.get("done", False):
            line, col = doc.where(("goals", i, "done_at"))
            notes.findings.error(rel, line, col, "goal has 'done_at' but is not 'done: true': set both or neither")
        goals.append(Goal(g["title"], g.get("done", False), _date(g.get("done_at")), g.get("note", ""),
                            doc.where(("goals", i))[0]))
    return Project(
        slug=stem, title=d["title"], source=rel, body=body, summary=d.get("summary", ""),
        status=d.get("status", "active"), leads=tuple(d.get("leads", ())),
        started=_date(d.get("started")), due=_date(d.get("due")), goals=tuple(goals),
        links=_links(d.get("links")),
    )


def event(rel: str, stem: str, doc: YamlDoc, body: str, notes: Notes) -> Event:
    d = doc.data
    start, end = _date(d["date"]), _date(d.get("end_date"))
    if end and end < start:
        line, col = doc.where(("end_date",))
        notes.findings.error(rel, line, col, "'end_date' is before 'date'")
    return Event(
        slug=stem, title=d["title"], date=start, source=rel, body=body, end_date=end,
        kind=d.get("kind", "other"), location=d.get("location", ""), online=d.get("online", False),
        organisers=tuple(d.get("organisers", ())), participants=tuple(d.get("participants", ())),
        guests=d.get("guests", 0), summary=d.get("summary", ""), links=_links(d.get("links")),
        organiser_lines=tuple(doc.where(("organisers", i))[0] for i in range(len(d.get("organisers", ())))),
        participant_lines=tuple(doc.where(("participants", i))[0] for i in range(len(d.get("participants", ())))),
        **event_times(rel, doc, notes.findings, start, end),
    )


def page(rel: str, stem: str, doc: YamlDoc, body: str, notes: Notes) -> FreePage:
    d = doc.data
    return FreePage(
        slug=stem, title=d["title"], source=rel, body=body, summary=d.get("summary", ""),
        order=d.get("order", 100), menu=d.get("menu", True),
    )


# Exact sums of amounts stay inside the 28 digits of Python's decimal arithmetic.
MAX_AMOUNT_DIGITS = 15


def _decimals(n: int) -> str:
    return f"{n} decimal" if n == 1 else f"{n} decimals"


def currency(rel: str, doc: YamlDoc, path: tuple, code: str, notes: Notes) -> bool:
    """Is `code` (at `path`) an ISO 4217 currency code, or a community currency declared in
    commonplace.yaml? Reports it at its line when not."""
    if money.is_unit(code):
        return True
    line, col = doc.where(path)
    notes.findings.error(rel, line, col, money.refusal(code, declarable=True))
    return False


def amount(rel: str, doc: YamlDoc, path: tuple, code: str | None, notes: Notes) -> Decimal | None:
    """The money at `path` with exactly its currency's decimals, or None after reporting why not:
    an unquoted YAML number (YAML may already have lost digits: it must be quoted), or more
    decimals than the currency's ISO 4217 minor unit. `code` is None when the currency is unknown
    (already reported): then only the quoting is checked."""
    key = path[-1]
    value = doc.data
    for step in path:
        value = value[step]
    line, col = doc.where(path)
    ok = True
    if not isinstance(value, str):  # a plain scalar YAML read as a number (quoted text stays text)
        raw = doc.raw.get(tuple(path), str(value))
        try:
            shown = money.format_amount(raw, code) if code else raw
        except ValueError:
            shown = raw  # too many decimals as well: reported below
        notes.findings.error(rel, line, col, f'{key} {raw} is an unquoted YAML number, which may lose digits: '
                                             f'quote it, {key}: "{shown}"')
        ok = False
        value = raw
    if code is None:
        return None
    number = Decimal(str(value))
    if not number.is_finite() or number.adjusted() >= MAX_AMOUNT_DIGITS:
        notes.findings.error(rel, line, col, f"{key} has more than {MAX_AMOUNT_DIGITS} digits before the decimal "
                                             "point: no community handles that much money; fix the amount")
        return None
    places, written = money.minor_units(code), money.decimals_of(number.normalize())
    if written > places:
        fix = f"write it with at most {places}" if places else "write it without decimals"
        notes.findings.error(rel, line, col, f"{key} {value} has {_decimals(written)}, but {code} has "
                                             f"{places or 'none'}: {fix}, such as "
                                             f"\"{money.example(number, code)}\"")
        return None
    return money.quantize(number, code) if ok else None


def rewards(rel: str, stem: str, doc: YamlDoc, body: str, notes: Notes) -> RewardPlan | None:
    d = doc.data
    start, end = _date(d["period"]["start"]), _date(d["period"]["end"])
    if end < start:
        line, col = doc.where(("period", "end"))
        notes.findings.error(rel, line, col, "the period ends before it starts")
    code = d["currency"] if currency(rel, doc, ("currency",), d["currency"], notes) else None
    budget = amount(rel, doc, ("budget",), code, notes)
    if budget is None:
        return None
    return RewardPlan(
        slug=stem, budget=budget, currency=d["currency"], policy=d["policy"],
        start=start, end=end, source=rel, title=d.get("title", ""),
        decay=Decimal(str(d.get("decay", "0.5"))), note=d.get("note", ""),
        recipients=d.get("recipients", "members"), verified=bool(d.get("verified", False)),
        settled=settlements.settlement(rel, doc, code, budget, notes.findings),
    )


def ledger(rel: str, doc: YamlDoc, notes: Notes) -> list[LedgerEntry]:
    entries = []
    default_currency = doc.data.get("currency")
    known = {default_currency: currency(rel, doc, ("currency",), default_currency, notes)} if default_currency else {}
    for i, e in enumerate(doc.data["entries"]):
        line = doc.where(("entries", i))[0]
        code = e.get("currency", default_currency)
        if code is None:
            notes.findings.error(rel, line, doc.where(("entries", i))[1], "entry has no 'currency' and the file sets none: add 'currency: EUR' (or the right code)")
            continue
        if "currency" in e and code not in known:  # each code once per file, where it is first written
            known[code] = currency(rel, doc, ("entries", i, "currency"), code, notes)
        value = amount(rel, doc, ("entries", i, "amount"), code if known[code] else None, notes)
        if value is None:
            continue
        if value <= 0:
            l, c = doc.where(("entries", i, "amount"))
            notes.findings.error(rel, l, c, "'amount' must be positive: the 'kind' says whether money came in or went out")
            continue
        if e["kind"] in money.TRANSFER_KINDS:
            if not community_currencies.check_transfer(rel, doc, i, e, code, notes.findings, notes.references):
                continue
        elif e.get("by"):
            if e["kind"] in money.OPENING_KINDS:
                l, c = doc.where(("entries", i, "by"))
                notes.findings.error(rel, l, c, "'by' names who raised an income, and an opening balance is not income: "
                                                 "remove 'by'")
            elif e["kind"] not in INCOME_KINDS:
                l, c = doc.where(("entries", i, "by"))
                notes.findings.error(rel, l, c, f"'by' names who raised an income, and a {e['kind']} is spending: "
                                                 "remove 'by', or use 'to' for who was paid")
        entries.append(LedgerEntry(
            date=_date(e["date"]), amount=value, currency=code, kind=e["kind"], source=rel,
            line=line, party_from=e.get("from", ""), party_to=e.get("to", ""),
            project=e.get("project", ""), note=e.get("note", ""), reference=e.get("reference", ""),
            by=e.get("by", ""), plan=e.get("plan", ""),
        ))
    return entries


def overdrafts(entries: list[LedgerEntry], findings: Findings) -> None:
    """A warning where a currency's running balance, over every ledger file by date, first goes
    below zero: money spent that the ledger never shows coming in (a mutual credit may: none)."""
    for code, (entry, balance) in sorted(money.overdrawn(entries).items()):
        unit = money.unit(code)
        if unit is not None:  # a community currency: not money, and no income to point at
            findings.warning(entry.source, entry.line, 1,
                             f"the community's {unit.name} ({code}) balance falls to "
                             f"{money.format_amount(balance, code)} {code} here: the ledger gives out more than "
                             f"it holds: add an opening balance (kind: opening_balance) or what came in, or declare "
                             f"{code} with kind: mutual_credit if its balances may run below zero")
            continue
        findings.warning(entry.source, entry.line, 1,
                         f"the {code} balance falls to {money.format_amount(balance, code)} {code} here: the ledger "
                         "spends money it never received: add an opening balance (kind: opening_balance) with what "
                         "the community held before, or the income that paid for this")


def usage(rel: str, doc: YamlDoc, notes: Notes) -> list[Usage]:
    records = []
    for i, r in enumerate(doc.data["records"]):
        records.append(Usage(
            date=_date(r["date"]), kind=r["kind"], source=rel, line=doc.where(("records", i))[0],
            count=r.get("count"), quote=r.get("quote", ""), reported_by=r.get("source", ""),
            project=r.get("project", ""), note=r.get("note", ""),
        ))
    return records


def kudos(rel: str, doc: YamlDoc, notes: Notes) -> list[Kudos]:
    items = []
    for i, k in enumerate(doc.data["kudos"]):
        items.append(Kudos(
            giver=k["from"], receiver=k["to"], date=_date(k["date"]), reason=k["for"],
            source=rel, line=doc.where(("kudos", i))[0], dimension=k.get("dimension", ""),
        ))
    return items


def contributions(rel: str, doc: YamlDoc, notes: Notes, kinds: dict | None = None) -> list[Contribution]:
    """The records of a contributions file. `kinds` is the config's `value.kinds`: a record's kind
    is one of the table's kinds made from these files (mentoring, welcome), a kind the config
    declares, or any kind when the record names its dimension."""
    kinds = kinds or {}
    records = []
    for i, r in enumerate(doc.data["records"]):
        line = doc.where(("records", i))[0]
        kind, known = r["kind"], KINDS.get(r["kind"])
        l, c = doc.where(("records", i, "kind"))
        if known is not None and known.origin != CONTRIBUTIONS:
            own = sorted(k for k, v in KINDS.items() if v.origin == CONTRIBUTIONS and k not in FORGE_KINDS)
            notes.findings.error(rel, l, c, f"'{kind}' records are counted from the {known.origin} already: use "
                                             f"{' or '.join(own)}, or a kind of your own")
            continue
        declared = kinds.get(kind)
        has_dimension = known is not None or isinstance(declared, dict) or bool(r.get("dimension"))
        if not has_dimension:
            close = difflib.get_close_matches(kind, sorted((set(kinds) | {k for k, v in KINDS.items()
                                                                           if v.origin == CONTRIBUTIONS}) - {kind}), n=1)
            hint = f"did you mean '{close[0]}'? Otherwise " if close else ""
            notes.findings.error(rel, l, c, f"unknown kind '{kind}': {hint}add 'dimension: ...' to the record "
                                             f"({', '.join(DIMENSIONS)}), or declare the kind in commonplace.yaml "
                                             f"under value: kinds: {{{kind}: {{weight: 1, dimension: ...}}}}")
            continue
        hours = r.get("hours")
        records.append(Contribution(
            date=_date(r["date"]), who=r["who"], kind=kind, description=r["description"], source=rel, line=line,
            hours=Decimal(str(hours)) if hours is not None else None, dimension=r.get("dimension", ""),
        ))
    return records


def federation(rel: str, doc: YamlDoc, notes: Notes) -> list[Peer]:
    peers, names = [], {}
    for i, p in enumerate(doc.data.get("peers", ())):
        line, col = doc.where(("peers", i, "name"))
        if p["name"] in names:
            notes.findings.error(rel, line, col, f"peer '{p['name']}' is declared twice (first on line {names[p['name']]})")
            continue
        names[p["name"]] = line
        peers.append(Peer(
            name=p["name"], url=p["url"], relation=p["relation"], source=rel, line=line,
            title=p.get("title", ""), branch=p.get("branch", "main"), mode=p.get("mode", "git"),
            path=p.get("path", ""), data_branch=p.get("data_branch", ""),
        ))
    return peers


def discover(doc: YamlDoc) -> Discover | None:
    """federation.yaml's `discover:` (already checked by its schema), or None."""
    d = doc.data.get("discover")
    return Discover(d.get("depth", 2), d.get("max", 500)) if isinstance(d, dict) else None
