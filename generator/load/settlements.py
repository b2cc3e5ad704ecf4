"""A reward plan's `settled:` block, read and checked (VALUE.md, "Settling a period").

A settled plan is paid as written, so what is written must be payable: every amount a quoted
decimal with exactly the currency's decimals (ISO 4217), none negative, the amounts summing to
the budget, each naming someone the plan may pay (a member; any contributor when the plan says
`recipients: all`; never a bot). The first part is checked per file (`settlement`), the people
once every member is loaded (`check_recipients`), and a ledger payout's `plan:` against the
plans (`check_payout_plans`). Whether this version computes the same split at `as_of` needs the
history: `generator.settlement.verify` warns about that.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from value import money
from value.identities import is_bot

from ..errors import Findings
from ..model import Model, Settlement
from .yamlsafe import YamlDoc


def _shape(places: int) -> re.Pattern:
    return re.compile(r"\d+" + (rf"\.\d{{{places}}}" if places else "") + r"\Z")


def settlement(rel: str, doc: YamlDoc, code: str | None, budget: Decimal | None,
               findings: Findings) -> Settlement | None:
    """The plan's `settled:` block (None when it has none, or when an amount is wrong: the
    finding says which, at its line)."""
    block = doc.data.get("settled")
    if not isinstance(block, dict):
        return None
    line = doc.where(("settled",), key=True)[0]
    places = money.minor_units(code) if code else None
    amounts: list[tuple[str, Decimal]] = []
    places_at: list[tuple[int, int]] = []
    ok = True
    for who, value in block["amounts"].items():
        where = doc.where(("settled", "amounts", who))
        raw = value if isinstance(value, str) else doc.raw.get(("settled", "amounts", who), str(value))
        if not isinstance(value, str):
            findings.error(rel, *where, f"settled amount of {who} is an unquoted YAML number, which may lose "
                                        f'digits: quote it, {who}: "{raw}"')
            ok = False
            continue
        if places is None:  # the currency is wrong: said at its own line
            ok = False
            continue
        text = value.strip()
        if text.startswith("-"):
            findings.error(rel, *where, f'settled amount of {who} is negative ("{value}"): nobody receives a '
                                        "negative amount; settle the plan again from its commit")
            ok = False
            continue
        if not _shape(places).match(text):
            example = money.example("12.5", code) if places else "12"
            findings.error(rel, *where, f'settled amount of {who} "{value}" is not an amount with exactly '
                                        f"{places} decimal{'s' * (places != 1)}, as {code} has: write it "
                                        f'such as "{example}"')
            ok = False
            continue
        if len(text.split(".")[0]) > money.MAX_DIGITS:
            findings.error(rel, *where, f"settled amount of {who} has more than {money.MAX_DIGITS} digits before "
                                        "the decimal point: no plan pays that much; settle the plan again")
            ok = False
            continue
        amounts.append((str(who), Decimal(text)))
        places_at.append(doc.where(("settled", "amounts", who), key=True))
    if not ok:
        return None
    total = sum((a for _who, a in amounts), Decimal(0))
    if budget is not None and total != budget:
        findings.error(rel, line, 1, f"the settled amounts sum to {total} {code}, not the budget {budget}: "
                                     "a settlement "
                                     "pays out exactly the budget; settle the plan again from its commit")
        return None
    when = block["date"]
    return Settlement(as_of=block["as_of"], date=when if isinstance(when, date) else date.fromisoformat(str(when)),
                      amounts=tuple(amounts), line=line, amount_at=tuple(places_at))


def _bot(who: str, bots: tuple[str, ...]) -> bool:
    """Whether an id is a bot's, by the engine's one rule (VALUE.md, "Bots")."""
    return is_bot((who,), (), frozenset(b.casefold() for b in bots))


def check_recipients(model: Model, findings: Findings) -> None:
    """Each settled amount names someone the plan may pay: a member (any id, when the plan pays
    everyone: contributors who are not members are known only to the history), never a bot."""
    bots = model.config.bots if model.config is not None else ()
    for plan in model.rewards.values():
        if plan.settled is None:
            continue
        for (who, _amount), (line, col) in zip(plan.settled.amounts, plan.settled.amount_at):
            if _bot(who, bots):
                findings.error(plan.source, line, col, f"the settlement pays {who}, a bot: a plan pays people; "
                                                     "settle the plan again from its commit")
            elif plan.recipients == "members" and who not in model.members:
                findings.error(plan.source, line, col, f"the settlement pays {who}, who has no member file, and this "
                                                     "plan pays members only: settle the plan again from its commit")


def check_payout_plans(model: Model, findings: Findings) -> None:
    """A payout's `plan:` names a reward plan that exists, and only a reward names one."""
    for entry in model.ledger:
        if not entry.plan:
            continue
        if entry.kind != "reward":
            findings.error(entry.source, entry.line, 1, f"'plan' names the reward plan a payout pays out, and a "
                                                        f"{entry.kind} is not a reward: remove 'plan'")
        elif entry.plan not in model.rewards:
            known = ", ".join(sorted(model.rewards)) or "none yet"
            findings.error(entry.source, entry.line, 1, f"'plan: {entry.plan}' names no reward plan "
                                                        f"(rewards/{entry.plan}.yaml; plans: {known})")
