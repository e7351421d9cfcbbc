"""`make build` on a fresh machine: nothing it writes may depend on the operating system's fonts.

The charts' Japanese font is IPAexGothic from the PyPI package matplotlib-fontja (requirements.lock),
so a clean runner with Python and make builds the HTML report without any Debian font package. These
tests fail if the exports start to reach for a system font again: the font must resolve to a file
inside this Python environment, and the exports, run with fontconfig pointed at an empty
configuration and a fresh matplotlib cache, must open no font file outside the environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from genai_report.exports import charts
from tests.python.conftest import PROJECT_DIR

ENVIRONMENT = Path(sys.prefix).resolve()
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".afm", ".pfb", ".pfa", ".woff", ".woff2")
EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig></fontconfig>
"""

# Runs the exports (genai_report.exports.write_all, as make build does) and records, from the moment
# matplotlib's font list is loaded, every font file opened and every program started.
EXPORTS_WATCHED = r"""
import json, pathlib, sys

import matplotlib.font_manager  # loads (or builds) matplotlib's font list before the watch starts

suffixes, warehouse, out_dir, log = json.loads(sys.argv[1]), *sys.argv[2:5]
seen = {"fonts": [], "programs": []}

def watch(event, args):
    if event == "open" and isinstance(args[0], (str, pathlib.PurePath)):
        if str(args[0]).lower().endswith(tuple(suffixes)):
            seen["fonts"].append(str(pathlib.Path(args[0]).resolve()))
    elif event == "subprocess.Popen":
        seen["programs"].append([str(part) for part in args[1]])

sys.addaudithook(watch)
from genai_report.exports import write_all

written = write_all(pathlib.Path(warehouse), pathlib.Path(out_dir))
seen["written"] = sorted(str(path.relative_to(out_dir)) for path in written)
pathlib.Path(log).write_text(json.dumps(seen), encoding="utf-8")
"""


def _inside(path: str | Path, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder)


def test_chart_font_is_a_file_inside_the_python_environment(monkeypatch):
    monkeypatch.delenv("GENAI_CJK_FONT", raising=False)
    font = Path(charts.cjk_font_path())
    assert _inside(font, ENVIRONMENT), f"{font} is not inside {ENVIRONMENT}"
    assert font.parent.parent.name == "matplotlib_fontja" and font.name == "ipaexg.ttf"
    assert charts._font_name(str(font)) == "IPAexGothic"
    # it is the locked package that brings it, not something installed by hand
    assert "matplotlib-fontja==1.1.0" in (PROJECT_DIR / "requirements.lock").read_text(encoding="utf-8").split()


def test_genai_cjk_font_still_overrides(monkeypatch, tmp_path):
    copy = tmp_path / "elsewhere.ttf"
    copy.write_bytes(charts.bundled_font_path().read_bytes())
    monkeypatch.setenv("GENAI_CJK_FONT", str(copy))
    assert charts.cjk_font_path() == str(copy)


def test_make_build_installs_no_system_package():
    """The recipe of make build, with the environment set-up it depends on, runs no package manager."""
    plan = subprocess.run(
        ["make", "--dry-run", "--always-make", "build"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout
    assert "python -m genai_report.build" in plan and "uv pip sync" in plan
    assert not [line for line in plan.splitlines() if any(word in line for word in ("apt-get", "dpkg", "apt "))]


def test_exports_open_no_font_outside_the_environment(shipped_warehouse, tmp_path):
    fontconfig = tmp_path / "fonts.conf"
    fontconfig.write_text(EMPTY_FONTCONFIG, encoding="utf-8")
    (tmp_path / "home").mkdir()
    env = {
        **{key: value for key, value in os.environ.items() if key != "GENAI_CJK_FONT"},
        "FONTCONFIG_FILE": str(fontconfig),  # fc-list and anything using fontconfig see no font
        "MPLCONFIGDIR": str(tmp_path / "matplotlib"),  # a font list built afresh under these conditions
        "HOME": str(tmp_path / "home"),  # no ~/.fonts, no ~/.local/share/fonts
        "XDG_DATA_HOME": str(tmp_path / "home" / "share"),
    }
    out_dir, log = tmp_path / "report", tmp_path / "watched.json"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            EXPORTS_WATCHED,
            json.dumps(FONT_SUFFIXES),
            str(shipped_warehouse),
            str(out_dir),
            str(log),
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    seen = json.loads(log.read_text(encoding="utf-8"))

    assert "genai_report_2025-12-31.html" in seen["written"] and "genai_report_2025-12-31.xlsx" in seen["written"]
    assert "open_data/cases.csv" in seen["written"]
    html = (out_dir / "genai_report_2025-12-31.html").read_text(encoding="utf-8")
    assert html.count("data:image/svg+xml;base64,") == 4  # the four charts were drawn
    fonts = sorted(set(seen["fonts"]))
    assert [font for font in fonts if not _inside(font, ENVIRONMENT)] == []
    assert str(charts.bundled_font_path().resolve()) in fonts
    assert not [program for program in seen["programs"] if program and Path(program[0]).name.startswith("fc-")]
