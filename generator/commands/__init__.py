"""Each command's code; their arguments are in `generator.cli`'s one table."""
