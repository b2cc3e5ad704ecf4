"""Value from history: the five CBPP dimensions computed from git and community data.

Usable without `generator/`: `value.report.build_report(path)` works on any git repository; it
returns a `value.report_types.Report` (`to_json()` for the JSON of docs/value-json.md).
"""

__version__ = "0.1.0"
