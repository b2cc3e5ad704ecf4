"""Rendering: the Jinja environment, the theme, Markdown and the page list. Returns files, never writes them."""
