"""The JSON Schemas in schemas/ and the example community that must satisfy them.

Data is read the way the loader reads it: YAML with a safe loader, dates handed over as their
ISO text, floats as exact Decimals made from the source text (never binary floats; a Decimal
is a JSON Schema number), Markdown front matter taken from between the first two '---' lines.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from generator.load.loader import load_community
from generator.load.logins import LoginIndex

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
EXAMPLE = ROOT / "example-community"

# schema name -> glob of the example-community files of that kind
KINDS = {
    "commonplace": "commonplace.yaml",
    "community": "community.yaml",
    "member": "members/*.yaml",
    "project": "projects/*.md",
    "event": "events/*.md",
    "ledger": "ledger/*.yaml",
    "usage": "usage/*.yaml",
    "contributions": "contributions/*.yaml",
    "kudos": "kudos/*.yaml",
    "page": "pages/*.md",
    "rewards": "rewards/*.yaml",
    "federation": "federation.yaml",
    "decision": "decisions/*.md",
    "mentions": "mentions/*.yaml",
    "impact": "impact/*.yaml",
    "survey": "surveys/*.yaml",
}


# --------------------------------------------------------------------------- reading


class StrictLoader(yaml.SafeLoader):
    """A safe loader that also refuses duplicate keys and anchors/aliases (kept plain)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise AssertionError(f"duplicate key {key!r} at {key_node.start_mark}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise AssertionError(f"alias at {self.peek_event().start_mark}")
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise AssertionError(f"anchor at {event.start_mark}")
        return super().compose_node(parent, index)

    def construct_yaml_float(self, node):
        try:
            return Decimal(self.construct_scalar(node).replace("_", ""))
        except ArithmeticError:  # .inf, .nan, sexagesimal: leave them to PyYAML
            return super().construct_yaml_float(node)


StrictLoader.add_constructor("tag:yaml.org,2002:float", StrictLoader.construct_yaml_float)


def normalise(value):
    """What the loader hands to validation: ISO text for dates."""
    if isinstance(value, dict):
        return {key: normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def load_yaml_text(text: str):
    return normalise(yaml.load(text, Loader=StrictLoader))


def front_matter(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines and lines[0].strip() == "---", f"{path}: no front matter"
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    body = "\n".join(lines[end + 1 :]).strip()
    assert body, f"{path}: empty Markdown body"
    return load_yaml_text("\n".join(lines[1:end]))


def load(path: Path):
    if path.suffix == ".md":
        return front_matter(path)
    return load_yaml_text(path.read_text(encoding="utf-8"))


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name), format_checker=FormatChecker())


def example_files(kind: str) -> list[Path]:
    return sorted(EXAMPLE.glob(KINDS[kind]))


def errors(name: str, instance) -> list[str]:
    return [error.message for error in validator(name).iter_errors(instance)]


# --------------------------------------------------------------------------- the schemas


def test_every_kind_has_a_schema_and_nothing_else():
    assert {p.name for p in SCHEMAS.glob("*.schema.json")} == {f"{k}.schema.json" for k in KINDS}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_schema_is_valid_draft_2020_12(name):
    doc = schema(name)
    Draft202012Validator.check_schema(doc)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["$id"] == f"https://commonplace.example/schemas/{name}.schema.json"
    assert doc["title"] and doc["description"]
    refs = [node["$ref"] for _, node in _walk(doc) if "$ref" in node]
    assert all(ref.startswith("#/$defs/") for ref in refs), "self-contained: local $refs only"


def _walk(node, path="#"):
    if isinstance(node, dict):
        yield path, node
        for key, item in node.items():
            yield from _walk(item, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{path}/{index}")


@pytest.mark.parametrize("name", sorted(KINDS))
def test_schema_is_closed_and_documented(name):
    for path, node in _walk(schema(name)):
        if node.get("type") == "object":
            # closed, or a map of names the user chooses (value.kinds) whose every value is checked
            extra = node.get("additionalProperties")
            assert extra is False or (isinstance(extra, dict) and "$ref" in extra), f"{name}: {path} is open"
            for key, prop in node.get("properties", {}).items():
                assert prop.get("title") and prop.get("description"), f"{name}: {path}/{key}"


# --------------------------------------------------------------------------- the example


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_example_community_has_files_of_every_kind(kind):
    assert example_files(kind), f"no example file for {kind}"


@pytest.mark.parametrize(
    "kind,path",
    [(kind, p) for kind in sorted(KINDS) for p in example_files(kind)],
    ids=lambda value: str(value.relative_to(EXAMPLE)) if isinstance(value, Path) else value,
)
def test_example_file_is_valid(kind, path):
    found = errors(kind, load(path))
    assert not found, f"{path.relative_to(EXAMPLE)}: {found}"


def _members() -> dict[str, dict]:
    return {p.stem: load(p) for p in example_files("member")}


def test_example_members_are_consistent():
    members = _members()
    assert len(members) >= 12
    for handle, member in members.items():
        assert member.get("handle", handle) == handle
        for email in member.get("emails", []):
            assert email.rsplit("@", 1)[1] in {"example.org", "example.net", "example.com"}
    visibility = [m.get("visibility", "public") for m in members.values()]
    assert visibility.count("pseudonymous") == 1
    assert visibility.count("hidden") == 1
    assert any(len(m.get("emails", [])) >= 2 for m in members.values())


def test_example_handles_all_refer_to_members():
    handles = set(_members())
    referenced: list[tuple[str, str]] = []
    for path in example_files("project"):
        referenced += [(str(path), h) for h in load(path).get("leads", [])]
    for path in example_files("event"):
        data = load(path)
        for key in ("organisers", "participants"):
            referenced += [(str(path), h) for h in data.get(key, [])]
    for path in example_files("kudos"):
        for item in load(path)["kudos"]:
            referenced += [(str(path), item["from"]), (str(path), item["to"])]
    for path in example_files("ledger"):
        for entry in load(path)["entries"]:
            if entry["kind"] == "reward":
                referenced.append((str(path), entry["to"]))
    missing = [(where, h) for where, h in referenced if h not in handles]
    assert not missing


def test_example_ecosystem_files_name_members():
    members = _members()
    contributors = json.loads((EXAMPLE / ".all-contributorsrc").read_text(encoding="utf-8"))
    model = load_community(EXAMPLE)
    index = LoginIndex(model.members)
    assert all(index.member("github", c["login"]) for c in contributors["contributors"])
    # the example shows each way a login matches: declared, a profile link, the handle itself
    assert {c["login"] for c in contributors["contributors"]} - set(members)
    assert {c["login"] for c in contributors["contributors"]} & set(members)
    addresses = {e for m in members.values() for e in m.get("emails", [])}
    for line in (EXAMPLE / ".mailmap").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            canonical = line.split("<", 1)[1].split(">", 1)[0]
            assert canonical in addresses, line


def test_example_projects_referenced_exist():
    projects = {p.stem for p in example_files("project")}
    for kind, key in (("ledger", "entries"), ("usage", "records")):
        for path in example_files(kind):
            for item in load(path)[key]:
                assert "project" not in item or item["project"] in projects, (path, item)


# --------------------------------------------------------------------------- accepted inputs

MONEY_ENTRY = {"date": "2026-01-01", "kind": "donation", "currency": "EUR"}


@pytest.mark.parametrize(
    "name,instance",
    [
        ("commonplace", {"title": "T", "forge": {"kind": "gitlab", "repo": "group/sub/name", "host": "https://gitlab.example.org"}}),
        ("commonplace", {"title": "T", "base_url": "https://org.github.io/community/", "value": {"salary": {"amount": Decimal("55000"), "currency": "USD"}}}),
        ("ledger", {"currency": "EUR", "entries": [{"date": "2026-01-01", "amount": "10", "kind": "sale"}]}),
        ("ledger", {"entries": [{**MONEY_ENTRY, "amount": Decimal("12.50")}]}),
        ("ledger", {"entries": [{**MONEY_ENTRY, "amount": 3}]}),
        ("ledger", {"entries": [{**MONEY_ENTRY, "amount": "0.0001"}]}),
        ("usage", {"records": [{"date": "2026-01-01", "kind": "testimonial", "quote": "Useful."}]}),
        ("federation", {"peers": [{"name": "a", "url": "git@github.com:org/a.git", "relation": "peer"}]}),
        ("federation", {"peers": [{"name": "b", "url": "ssh://git@example.org/b.git", "relation": "fork"}]}),
        ("federation", {"peers": [{"name": "c", "url": "../sister", "relation": "upstream"}]}),
        ("community", {"name": "N", "mission": "M", "license": "MIT OR Apache-2.0", "areas": ["floss"], "contact": "mailto:hi@example.org"}),
        ("project", {"title": "P", "goals": [{"title": "G", "done": True, "done_at": "2026-02-28"}]}),
    ],
)
def test_accepted(name, instance):
    assert errors(name, instance) == []


@pytest.mark.parametrize(
    "name,text",
    [
        pytest.param("rewards", "budget: 600.00\ncurrency: EUR\npolicy: recent\ndecay: 0.5\nperiod: {start: 2026-07-01, end: 2026-09-30}\n", id="unquoted-decimals"),
        pytest.param("commonplace", "title: T\nvalue: {weights: {reputation: 1.5, monetary_value: 0}}\n", id="float-weights"),
        pytest.param("rewards", "budget: '600'\ncurrency: JPY\npolicy: immediate\nrecipients: all\nperiod: {start: 2026-07-01, end: 2026-09-30}\n", id="recipients-all"),
        pytest.param("ledger", "currency: EUR\nentries: [{date: 2026-01-01, kind: sale, amount: 12.50}]\n", id="unquoted-amount"),
        pytest.param("event", "title: E\ndate: 2026-03-14\nend_date: '2026-03-15'\n", id="quoted-and-unquoted-dates"),
    ],
)
def test_accepted_yaml(name, text):
    assert errors(name, load_yaml_text(text)) == []


# --------------------------------------------------------------------------- rejected inputs

MEMBER = "name: Ada\n"
COMMUNITY = "name: N\nmission: M\nlicense: CC-BY-SA-4.0\nareas: [floss]\n"
REWARDS = "budget: '600.00'\ncurrency: EUR\npolicy: balanced\nperiod: {start: 2026-07-01, end: 2026-09-30}\n"
LEDGER_ENTRY = "entries:\n  - date: 2026-01-01\n    kind: donation\n    currency: EUR\n"


@pytest.mark.parametrize(
    "name,text",
    [
        pytest.param("member", MEMBER + "emial: ada@example.org\n", id="unknown-key"),
        pytest.param("member", "name: NO\n", id="yaml-boolean-for-string"),
        pytest.param("member", MEMBER + "affiliation: 1999\n", id="number-for-string"),
        pytest.param("member", MEMBER + "handle: Ada_L\n", id="bad-handle"),
        pytest.param("member", MEMBER + "emails: [not-an-address]\n", id="bad-email"),
        pytest.param("member", MEMBER + "visibility: secret\n", id="bad-visibility"),
        pytest.param("member", MEMBER + "links: [{title: x, url: 'javascript:alert(1)'}]\n", id="javascript-link"),
        pytest.param("member", MEMBER + "links: [{title: x, url: 'ftp://example.org/'}]\n", id="ftp-link"),
        pytest.param("member", MEMBER + "links: [{title: x, url: 'https://e.org', rel: me}]\n", id="unknown-key-nested"),
        pytest.param("member", MEMBER + "joined: '2026-02-30'\n", id="impossible-date"),
        pytest.param("member", MEMBER + "joined: 14/03/2026\n", id="non-iso-date"),
        pytest.param("member", "handle: ada\n", id="missing-name"),
        pytest.param("community", COMMUNITY.replace("[floss]", "[blockchain]"), id="bad-area"),
        pytest.param("community", COMMUNITY.replace("[floss]", "[]"), id="no-area"),
        pytest.param("community", COMMUNITY + "contact: 'javascript:alert(1)'\n", id="javascript-contact"),
        pytest.param("community", COMMUNITY + "founded: '2022'\n", id="year-only-date"),
        pytest.param("community", COMMUNITY.replace("CC-BY-SA-4.0", "'CC BY SA'"), id="bad-license"),
        pytest.param("ledger", LEDGER_ENTRY + "    amount: '-5.00'\n", id="negative-amount"),
        pytest.param("ledger", LEDGER_ENTRY + "    amount: -5\n", id="negative-number"),
        pytest.param("ledger", LEDGER_ENTRY + "    amount: '0.00'\n", id="zero-amount"),
        pytest.param("ledger", LEDGER_ENTRY + "    amount: 0.0\n", id="zero-number"),
        pytest.param("ledger", LEDGER_ENTRY + "    amount: '1.2345678'\n", id="seven-decimals"),
        pytest.param("ledger", LEDGER_ENTRY + "    amount: '1,200.00'\n", id="thousands-separator"),
        pytest.param("ledger", LEDGER_ENTRY.replace("donation", "gift") + "    amount: '5'\n", id="bad-kind"),
        pytest.param("ledger", LEDGER_ENTRY.replace("EUR", "eur") + "    amount: '5'\n", id="bad-currency"),
        pytest.param("ledger", LEDGER_ENTRY.replace("    currency: EUR\n", "") + "    amount: '5'\n", id="no-currency-anywhere"),
        pytest.param("usage", "records:\n  - {date: 2026-01-01, kind: downloads}\n", id="count-missing"),
        pytest.param("usage", "records:\n  - {date: 2026-01-01, kind: users, count: -1}\n", id="negative-count"),
        pytest.param("usage", "records:\n  - {date: 2026-01-01, kind: testimonial}\n", id="quote-missing"),
        pytest.param("kudos", "kudos:\n  - {from: ada, to: bob, date: 2026-01-01}\n", id="kudos-for-missing"),
        pytest.param("kudos", "kudos:\n  - {from: ada, to: bob, date: 2026-01-01, for: x, dimension: fame}\n", id="bad-dimension"),
        pytest.param("project", "title: P\nstatus: done\n", id="bad-status"),
        pytest.param("project", "title: P\ngoals:\n  - {title: G, done_at: 2026-01-01}\n", id="done-at-without-done"),
        pytest.param("project", "title: P\nleads: [ada, ada]\n", id="duplicate-lead"),
        pytest.param("event", "title: E\n", id="event-without-date"),
        pytest.param("event", "title: E\ndate: 2026-01-01\nguests: -3\n", id="negative-guests"),
        pytest.param("page", "title: About\nmenu: 'yes please'\n", id="string-for-boolean"),
        pytest.param("page", "title: About\norder: 1.5\n", id="fractional-order"),
        pytest.param("rewards", REWARDS + "decay: 1.5\n", id="decay-above-one"),
        pytest.param("rewards", REWARDS.replace("balanced", "fair"), id="bad-policy"),
        pytest.param("rewards", REWARDS + "recipients: friends\n", id="bad-recipients"),
        pytest.param("rewards", REWARDS.replace("budget: '600.00'", "budget: '-600.00'"), id="negative-budget"),
        pytest.param("rewards", "budget: '600.00'\ncurrency: EUR\npolicy: balanced\n", id="period-missing"),
        pytest.param("rewards", "budget: '600.00'\ncurrency: EUR\npolicy: balanced\nperiod: {start: 2026-07-01}\n", id="period-without-end"),
        pytest.param("federation", "peers:\n  - {name: a, url: 'ftp://example.org/a', relation: peer}\n", id="bad-peer-url"),
        pytest.param("federation", "peers:\n  - {name: a, url: 'https://example.org/a.git'}\n", id="relation-missing"),
        pytest.param("federation", "peers:\n  - {name: a, url: '../a', relation: peer, path: '../../etc'}\n", id="path-escapes"),
        pytest.param("commonplace", "description: no title\n", id="title-missing"),
        pytest.param("commonplace", "title: T\nbase_url: ftp://example.org/\n", id="bad-base-url"),
        pytest.param("commonplace", "title: T\nlanguage: english\n", id="bad-language"),
        pytest.param("commonplace", "title: T\nforge: {kind: github, repo: group/sub/name}\n", id="github-nested-repo"),
        pytest.param("commonplace", "title: T\nforge: {kind: bitbucket, repo: a/b}\n", id="bad-forge"),
        pytest.param("commonplace", "title: T\nvalue: {weights: {reputation: -1}}\n", id="negative-weight"),
        pytest.param("commonplace", "title: T\nvalue: {weights: {fame: 1}}\n", id="unknown-dimension"),
        pytest.param("commonplace", "title: T\nfeed: {entries: 0}\n", id="feed-too-small"),
        pytest.param("commonplace", "title: T\nprivacy: {non_members: hidden}\n", id="bad-privacy"),
    ],
)
def test_rejected(name, text):
    assert errors(name, load_yaml_text(text)), f"{name} accepted:\n{text}"
