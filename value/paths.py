"""The files the engine reads from the git tree itself (any repository may have them), and the
generator reads from the work tree: one list for both. A module of its own so that a build that
finds nothing to do can name them without creating the engine's input types (`inputs`)."""

MAILMAP_PATH = ".mailmap"
ALL_CONTRIBUTORS_PATH = ".all-contributorsrc"
CITATION_PATH = "CITATION.cff"
FUNDING_PATH = ".github/FUNDING.yml"
COMMUNITY_FILES = (ALL_CONTRIBUTORS_PATH, CITATION_PATH, FUNDING_PATH)
