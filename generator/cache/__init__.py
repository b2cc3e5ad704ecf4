"""Where every cache lives and what it is keyed by: the manifest of the last build, parsed files, rendered Markdown."""
