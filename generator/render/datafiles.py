"""The site's data files: each reward plan's table, and the open data package of every figure."""

from __future__ import annotations

import hashlib
import re

from ..cache.stablepickle import stable_pickle
from ..datapackage import add_open_data
from ..federation.addresses import address_problem
from ..federation.published import federation_document, published_peers
from ..sitefiles import SiteFiles
from ..views.community_currency import currencies_document
from ..views.directory import directory_tables


def add_data_files(files: SiteFiles, site) -> None:
    """Add the reward tables (CSV) and the open data package to `files`. `site`: the SiteContext
    (not imported here: context.py imports this module, for `SiteContext.open_data`)."""
    values = site.values
    for slug, dist in values.rewards.items():
        files.add(f"rewards/{slug}/{slug}.csv", values.rewards_table(values.reward_rows(slug, dist)).csv())
    package = site.open_data
    for rel, content in package.files.items():
        files.add(rel, content)


def open_data_files(site) -> SiteFiles:
    """The open data package's files (`data/...`): what is published, and what the data page
    describes (SiteContext.open_data makes them once per build). A node with peers republishes
    the directory it aggregates, and publishes its peers for discovery."""
    community = site.model.community
    files = SiteFiles()
    tables = site.values.tables()
    name = _package_name(community.name)
    peers: list[dict] = []
    if site.federation is not None:
        tables += directory_tables(site.federation.rows, name)
        peers = published_peers(site.federation.federation)
    options = dict(name=name, title=f"{community.name}: open data", license_id=community.data_license,
                   homepage=site.url(""), created=site.info.updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
                   profile=public_profile(site.model), keywords=list(community.areas),
                   federation=federation_document(peers, _portal(site.model.config.base_url)),
                   documents=[("advice", "Sustainability advice",
                               "The findings of sustainability/: each rule's figure, threshold, source and next step "
                               "(schema commonplace.advice/1).", site.advice.advice)] + currencies_document(site.model))
    # Writing the tables as CSV and JSON takes over a second at 5,000 pages, and most edits
    # change no figure: the files are kept under a digest of everything they are made from.
    cache = site.cache
    key = _inputs_digest(tables, options) if cache is not None else None
    kept = cache.get_derived(key) if key is not None else None
    if kept is not None:
        for rel, content in kept.items():
            files.add(rel, content)
        return files
    add_open_data(files, tables, **options)
    if key is not None:
        cache.put_derived(key, dict(files.files))
    return files


def _inputs_digest(tables, options: dict) -> str | None:
    """A digest of the open data's inputs, None when they cannot be serialised."""
    data = stable_pickle((tables, sorted(options.items())))
    return None if data is None else "open-data:" + hashlib.sha256(data).hexdigest()


def public_profile(model) -> dict:
    c = model.community
    profile = {"name": c.name, "tagline": c.tagline, "mission": c.mission, "license": c.license,
               "areas": list(c.areas), "governance": c.governance, "legal_form": c.legal_form,
               "economic_model": c.economic_model, "scope": c.scope, "location": c.location,
               "founded": c.founded.isoformat() if c.founded else ""}
    return {k: v for k, v in profile.items() if v}


def _portal(address: str) -> str:
    return address if address and not address_problem(address) else ""


def _package_name(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "community"
