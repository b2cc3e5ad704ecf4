"""Publishing: the built files written to a staging folder and swapped in, the open data package, the search index."""
