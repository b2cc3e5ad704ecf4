"""What a page shows, computed from the model and the value report: no Jinja, no files."""
