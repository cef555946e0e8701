"""`ficarchive challenges match FILE.jsonl`: the matching alone, its JSON, and errors that name
the line and the reason."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

LINES = [
    {"participant": "ada", "requests": [{"fandoms": ["Tide"], "characters": ["Kit"]}],
     "offers": [{"fandoms": ["Lamp"], "any": ["characters"]}]},
    {"participant": "bo", "requests": [{"fandoms": ["Lamp"], "characters": ["Mo"]}],
     "offers": [{"fandoms": ["Tide"], "characters": ["Kit", "Lo"]}]},
    {"participant": "cy", "requests": [{"fandoms": ["Nowhere"]}],
     "offers": [{"fandoms": ["tide"], "characters": ["Lo"]}]},
]  # fmt: skip


def write(tmp_path: Path, lines: list[object], name: str = "exchange.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> dict[str, object]:
    out = io.StringIO()
    call_command("challenges", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_json_names_every_assignment_and_who_is_left_out_and_why(tmp_path: Path) -> None:
    answer = run("match", str(write(tmp_path, LINES)), "--json", "--match", "fandoms=1",
                 "--match", "characters=1")  # fmt: skip
    assert answer["assignments"] == [
        {"giver": "ada", "recipient": "bo", "offer": 0, "request": 0, "quality": 1},
        {"giver": "bo", "recipient": "ada", "offer": 0, "request": 0, "quality": 2},
    ]
    assert answer["unmatched"] == [
        {
            "participant": "cy",
            "gives": False,
            "receives": False,
            "why": [
                "their offers fit no one's requests",
                "no offer fits their requests",
            ],
        }
    ]
    assert isinstance(answer["took_s"], float) and answer["allowed_pairs"] == 2

    # Without the character rule, cy's Tide offer fits ada's request too.
    loose = run("match", str(write(tmp_path, LINES)), "--json")
    assert loose["allowed_pairs"] == 3 and len(loose["assignments"]) == 2
    assert loose["unmatched"][0]["why"][0].startswith("everyone their offers fit gets a gift")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json\n", "exchange.jsonl, line 1: not JSON"),
        ('[1, 2]\n', "exchange.jsonl, line 1: each line is a JSON object"),
        ('{"participant": ""}\n', "line 1: participant is a non-empty name"),
        ('{"participant": "a"}\n\n{"participant": "a"}\n', "line 3: 'a' signed up twice"),
        ('{"participant": "a", "wishes": []}\n', "line 1: unknown field 'wishes'"),
        ('{"participant": "a", "offers": [{"fandom": ["X"]}]}\n',
         "line 1, offer 0: unknown field 'fandom'"),
        ('{"participant": "a", "requests": [{"fandoms": "X"}]}\n',
         "line 1, request 0: fandoms is a list of tag names"),
        ('{"participant": "a", "requests": [{"any": ["planets"]}]}\n',
         "line 1, request 0: any lists tag types"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_naming_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "exchange.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run("match", str(path), "--json")
    assert message in str(refused.value)


def test_bad_rules_and_missing_or_binary_files_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, LINES)
    with pytest.raises(CommandError, match="--match fandom=1: write TYPE=COUNT"):
        run("match", str(path), "--match", "fandom=1")
    with pytest.raises(CommandError, match="--match characters=some: the count is a number"):
        run("match", str(path), "--match", "characters=some")
    with pytest.raises(CommandError, match="no such file"):
        run("match", str(tmp_path / "missing.jsonl"))
    binary = tmp_path / "exchange.bin"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError, match="not UTF-8 text"):
        run("match", str(binary))


def test_the_installed_command_reads_standard_input(tmp_path: Path) -> None:
    program = Path(sys.executable).with_name("ficarchive")
    lines = "\n".join(json.dumps(line) for line in LINES)
    # The command needs no database of the test's: it runs on its own data folder.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["FICARCHIVE_DATA"] = str(tmp_path / "data")
    done = subprocess.run(
        [str(program), "challenges", "match", "-", "--json"],
        input=lines, capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["assignments"]) == 2
    failed = subprocess.run(
        [str(program), "challenges", "match", "-"],
        input="oops\n", capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip
    assert failed.returncode == 1
    assert "standard input, line 1: not JSON" in failed.stderr
