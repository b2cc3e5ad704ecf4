"""The site's data files: each reward plan's table, and the open data package of every figure."""

from __future__ import annotations

import re

from ..publish.files import SiteFiles
from ..publish.opendata import add_open_data
from .context import SiteContext


def add_data_files(files: SiteFiles, site: SiteContext) -> None:
    """Add the reward tables (CSV) and the open data package to `files`."""
    values, community = site.values, site.model.community
    for slug, dist in values.rewards.items():
        files.add(f"rewards/{slug}/{slug}.csv", values.rewards_table(values.reward_rows(slug, dist)).csv())
    add_open_data(files, values.tables(), name=_package_name(community.name),
                  title=f"{community.name}: open data", license_id=community.data_license,
                  homepage=site.url(""), created=site.info.updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  profile=public_profile(site.model), keywords=list(community.areas),
                  documents=[("advice", "Sustainability advice",
                              "The findings of sustainability/: each rule's figure, threshold, source and next step "
                              "(schema commonplace.advice/1).", site.advice.advice)])


def public_profile(model) -> dict:
    c = model.community
    profile = {"name": c.name, "tagline": c.tagline, "mission": c.mission, "license": c.license,
               "areas": list(c.areas), "governance": c.governance, "legal_form": c.legal_form,
               "economic_model": c.economic_model, "scope": c.scope, "location": c.location,
               "founded": c.founded.isoformat() if c.founded else ""}
    return {k: v for k, v in profile.items() if v}


def _package_name(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "community"
