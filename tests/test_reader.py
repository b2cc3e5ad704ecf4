"""The work tree's reader: no link followed, no special file opened, the size bound held."""

from __future__ import annotations

import os

from generator.errors import Findings
from generator.load.reader import FileReader
from generator.load.yamlsafe import MAX_BYTES


def test_links_special_files_and_oversized_files_are_never_read(tmp_path):
    (tmp_path / "members").mkdir()
    (tmp_path / "members/ana.yaml").write_text("name: Ana\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not yours\n", encoding="utf-8")
    (tmp_path / "members/link.yaml").symlink_to(tmp_path / "secret.txt")
    os.symlink(tmp_path / "members", tmp_path / "linked")
    os.mkfifo(tmp_path / "members/pipe.yaml")  # opening it for reading would wait for a writer
    (tmp_path / "members/dir.yaml").mkdir()
    (tmp_path / "members/big.yaml").write_bytes(b"a" * (MAX_BYTES + 1))
    (tmp_path / "members/latin1.yaml").write_bytes("name: Jos\u00e9\n".encode("latin-1"))
    findings = Findings()
    reader = FileReader(tmp_path, findings)
    assert reader.read_text("members/ana.yaml") == "name: Ana\n"
    for rel in ("members/link.yaml", "linked/ana.yaml", "members/pipe.yaml", "members/dir.yaml",
                "members/big.yaml", "members/latin1.yaml", "members/none.yaml", "../secret.txt"):
        assert reader.read_text(rel) is None, rel
    said = {(f.path, f.severity) for f in findings.items}
    assert ("members/link.yaml", "warning") in said and ("linked/ana.yaml", "warning") in said
    assert ("members/big.yaml", "error") in said and ("members/latin1.yaml", "error") in said
