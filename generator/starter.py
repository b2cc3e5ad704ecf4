"""The documents `commonplace new` offers a new community: a licence file for a few common SPDX
ids, a code of conduct and a contribution guide (the files the sustainability advice looks for).

A licence file holds the licence's own words: the full text where it is short or shipped with
Commonplace (`licence_texts/`, copied from Debian's `/usr/share/common-licenses`), else the
licence's official notice and the address of its full legal code. The code of conduct and the
contribution guide are Commonplace's own short texts, for the community to rewrite."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_TEXTS = Path(__file__).parent / "licence_texts"


@dataclass(frozen=True)
class Licence:
    title: str
    url: str
    text_file: str = ""  # in licence_texts/: the full text ships with Commonplace


LICENCES = {
    "CC-BY-SA-4.0": Licence("Creative Commons Attribution-ShareAlike 4.0 International",
                            "https://creativecommons.org/licenses/by-sa/4.0/legalcode"),
    "CC-BY-4.0": Licence("Creative Commons Attribution 4.0 International",
                         "https://creativecommons.org/licenses/by/4.0/legalcode"),
    "CC0-1.0": Licence("Creative Commons CC0 1.0 Universal",
                       "https://creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0.txt"),
    "MIT": Licence("MIT License", "https://opensource.org/license/mit"),
    "Apache-2.0": Licence("Apache License 2.0", "https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0.txt"),
    "GPL-3.0-or-later": Licence("GNU General Public License v3.0 or later", "https://www.gnu.org/licenses/gpl-3.0.html",
                                "GPL-3.0.txt"),
}
DEFAULT_LICENCE = "CC-BY-SA-4.0"

MIT = """\
MIT License

Copyright (c) {year} {holder}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

# The notice Creative Commons asks licensors to give where the legal code is not copied in full.
CC_NOTICE = """\
{title}

Copyright (c) {year} {holder}

Except where otherwise noted, the content of this repository is licensed under the
{title} licence ({short}).

You are free to share and adapt it under the terms of that licence. Its full legal code:
{url}
"""
CC_SHORT = {"CC-BY-SA-4.0": "CC BY-SA 4.0", "CC-BY-4.0": "CC BY 4.0"}

GPL_NOTICE = """\
Copyright (c) {year} {holder}

This program is free software: you can redistribute it and/or modify it under the terms of the
GNU General Public License as published by the Free Software Foundation, either version 3 of
the License, or (at your option) any later version.

This program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY;
without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.
See the GNU General Public License below for more details.

"""


def known_licences() -> str:
    """The SPDX ids `new` writes a licence file for, as a sentence's list."""
    return ", ".join(LICENCES)


def licence_text(spdx: str, holder: str, year: int) -> str:
    """The LICENSE file of a new community under `spdx` (one of LICENCES), `holder` its copyright
    holder (the community's contributors)."""
    licence = LICENCES[spdx]
    if spdx == "MIT":
        return MIT.format(year=year, holder=holder)
    if spdx in CC_SHORT:
        return CC_NOTICE.format(title=licence.title, short=CC_SHORT[spdx], url=licence.url, year=year, holder=holder)
    text = (_TEXTS / licence.text_file).read_text(encoding="utf-8")
    if spdx == "GPL-3.0-or-later":
        return GPL_NOTICE.format(year=year, holder=holder) + text
    return text


CODE_OF_CONDUCT = """\
# Code of conduct

{name} is made by people who give their time. We want everyone to feel welcome to take part,
whoever they are and however much they know.

## What we expect

- Be kind and patient, especially with people who are new.
- Discuss ideas, not people. Disagree openly, and assume good faith.
- Give credit: say whose work you build on, and thank people for it.
- Ask before you share someone's personal details, photos or words outside the community.

## What we do not accept

Harassment, insults, threats, unwelcome sexual attention, and jokes or remarks that put people
down for who they are. This applies in the repository, at events and in every channel where
the community meets.

## When something goes wrong

Tell a member you trust, or the people who organise the community (see `members/`). They
listen, keep what you say private, and decide together what to do, from a word in private to
asking someone to leave. Nobody is punished for raising a concern in good faith.

This code is the community's own: change it, like any other file, through a pull request.
"""

CONTRIBUTING = """\
# How to take part

Everything {name} is and does is written down in {where} as small text files, and its portal
is built from them. Taking part starts with a change to one of these files.

## Where things are{inside}

- `members/`: one file per member (`members/your-handle.yaml`). Add yours to join.
- `projects/`: what we work on, with its goals.
- `events/`: our meetings and activities, before and after they happen.
- `ledger/`: the money that comes in and goes out.
- `pages/`: free pages, such as "About".
- `community.yaml`: who we are, how we decide, and our licence.

## How a change happens

1. Edit or add a file, in the forge's web editor or in your own copy of the repository.
2. Open a pull request (a merge request on GitLab) that says what you changed and why.
3. Someone else reviews it: they may ask questions or suggest changes.
4. Once it is merged, the portal is rebuilt with it.

`commonplace check` lists any mistake in the files, with the file and the line, before you
open the pull request.

## Your first steps

- Add your member file, copying one that is already there.
- Pick a goal of a project that is not done yet, or propose a new project.
- Come to the next event and say hello.

By contributing, you agree that your contribution is published under the community's licence
({licence}).{conduct}
"""


def code_of_conduct(name: str) -> str:
    return CODE_OF_CONDUCT.format(name=name)


def contributing(name: str, *, folder: str = "", licence: str = "LICENSE",
                 conduct: str | None = "CODE_OF_CONDUCT.md") -> str:
    """The contribution guide of a community in a repository of its own, or in `folder` of a
    larger one; `licence` and `conduct` name the files that hold them (`conduct` None: there is
    no code of conduct to point to)."""
    where = f"the `{folder}/` folder of this repository" if folder else "this repository"
    inside = f" (in `{folder}/`)" if folder else ""
    follows = f" Everyone taking part follows the code of conduct (`{conduct}`)." if conduct else ""
    shown = f"see `{licence}`" if licence != "community.yaml" else "community.yaml names it"
    return CONTRIBUTING.format(name=name, where=where, inside=inside, licence=shown, conduct=follows)
