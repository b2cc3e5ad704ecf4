"""The wheel carries the schemas and the theme: an installed copy builds from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from communities import ROOT, example_repository


@pytest.mark.slow
def test_wheel_ships_schemas_and_theme_and_builds_from_elsewhere(tmp_path):
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True)
    if built.returncode != 0 and "No matching distribution" in built.stderr:
        pytest.skip("the build backend could not be downloaded")
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("commonplace_portal-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/_data/schemas/member.schema.json" in names
    assert "generator/_data/themes/default/base.html" in names
    assert "generator/_data/themes/default/assets/style.css" in names
    assert "generator/_data/example-community/community.yaml" in names
    assert "generator/licence_texts/GPL-3.0.txt" in names  # the licence texts `new` writes
    assert any(n.endswith("entry_points.txt") for n in names)

    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    example = example_repository(tmp_path / "example")
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(example), "-o", str(tmp_path / "site")],
                            cwd=elsewhere, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(target)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "assets" / "style.css").exists()
    probe = subprocess.run([sys.executable, "-c", "import generator.resources as r; print(r.schemas_dir())"],
                           cwd=elsewhere, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(target)})
    assert probe.stdout.strip().startswith(str(target))
    # the README's first command, from an installed copy: the demo is replayed from the wheel's example
    demo = subprocess.run([sys.executable, "-m", "generator", "new", "--example", str(tmp_path / "demo")],
                          cwd=elsewhere, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(target)})
    assert demo.returncode == 0, demo.stderr
    assert (tmp_path / "demo" / "members" / "lucia-ferrer.yaml").is_file()
    # a new community from an installed copy: the licence's text, and the settings' schema where `new` says
    fresh = subprocess.run([sys.executable, "-m", "generator", "new", str(tmp_path / "fresh"), "--license", "Apache-2.0"],
                           cwd=elsewhere, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                           env={**os.environ, "PYTHONPATH": str(target)})
    assert fresh.returncode == 0, fresh.stderr
    assert "Apache License" in (tmp_path / "fresh" / "LICENSE").read_text(encoding="utf-8")
    assert f"described in {target / 'generator/_data/schemas/commonplace.schema.json'}" in fresh.stdout
