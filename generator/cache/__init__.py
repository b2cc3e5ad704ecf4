"""Where every cache lives and what it is keyed by: the manifest of the last build and the
incremental state kept with it (what a rebuild may skip or reuse), parsed files, rendered Markdown."""
