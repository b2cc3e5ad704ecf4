"""Loading: the repository's files read without following links, parsed, checked against their schemas, built into the model."""
