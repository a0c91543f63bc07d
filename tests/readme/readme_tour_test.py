#!/usr/bin/env python3
"""The README's tour, replayed against the real server and CLI.

Every ```console block of README.md, in order: each `$ ` command (with its `\\` continuations
and quotes left open across lines) runs with bash in one temporary working directory, and what
it prints (standard output and error together) must be the output the README shows under it.

- A server is started the way the tour assumes (`CROSSRATE_TOKENS='analyst:s3cret' make run`):
  a writer's token `s3cret` for `analyst`, a fresh data directory `./var` of the working
  directory, on a free port; `127.0.0.1:8080` and `localhost:8080` in the commands are that port.
  A block after the sentence "On a fresh data directory:" gets a server of its own, on a fresh
  data directory, for that block only.
- `build/bin/` and `fixtures/` in the working directory are links to the build's binaries and the
  source tree's fixtures, so the commands run as written from the top of a checkout.
- `$ cat FILE` of a file no step wrote shows what to put in it: the file is written from the
  README's text (the tour's files are shown, not made, in the README).
- `NAME=value` and `export NAME=value` steps are kept and run before every later step.
- A comment step that stands for an edit by hand (EDITS) is done by the test.
- Compared exactly, except: CRLF is LF (HTTP headers); the VOLATILE fields are normalized on
  both sides; the server's port is 8080; and `…` in the README matches any text.
- SKIPPED lists the commands that cannot run here, each with its reason; a pattern that no
  longer matches any step fails the test, so the list stays honest.

Usage: readme_tour_test.py --readme README.md --server BIN --cli BIN --fixtures DIR
"""

import argparse
import csv
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# Commands the test does not run, and why.
SKIPPED = [
    (r"^CROSSRATE_TOKENS=\S+ make run$",
     "the test starts the server itself: token analyst:s3cret, a fresh data directory"),
    (r"^npm install ", "the typed client's packages: tests/client/ (Client.*) installs them pinned"),
    (r"^npx ", "the typed client's generation and compilation: tests/client/ (Client.*) runs them"),
    (r"^CROSSRATE_TOKENS=\S+ build/bin/crossrate-server .*&$",
     "the typed client's own server: tests/client/ (Client.*) starts one"),
    (r"^node -e .*tour\.js", "the typed client's tour: tests/client/ (Client.*) runs it"),
    (r"--store 'postgresql://", "a replica of a fleet needs PostgreSQL: tests/fleet/ (Fleet.*) runs one"),
]

# Reads that never end: what arrives within the seconds given is the output.
STREAMS = [
    (r"curl -sN .*/v1/events", 3.0),
]

# What differs from run to run, normalized on both sides.
VOLATILE = [
    (r'"created_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"', '"created_at":"<time of the write>"'),
    (r"(?im)^X-Request-Id: \S+$", "X-Request-Id: <generated>"),
]

ELLIPSIS = "…"
STEP_TIMEOUT = 60.0


def edit_goat_csv(work: Path) -> None:
    """goat-origin-2023-03's id moved under supersedes, its note edited, the other row dropped."""
    path = work / "goat.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        header = list(rows[0].keys()) if rows else []
    kept = [r for r in rows if r["id"] == "goat-origin-2023-03"]
    assert len(kept) == 1, f"goat.csv has no single goat-origin-2023-03 row: {rows}"
    kept[0]["supersedes"], kept[0]["id"] = kept[0]["id"], ""
    kept[0]["note"] = "the March price, as listed"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(kept)


# Comment steps that stand for an edit by hand.
EDITS = [
    (r"^# \.\.\.goat-origin-2023-03's id moved under supersedes", edit_goat_csv),
]


@dataclass
class Step:
    line: int  # in README.md
    command: str
    expected: list = field(default_factory=list)


@dataclass
class Block:
    line: int
    fresh: bool  # "On a fresh data directory:" comes before it
    steps: list = field(default_factory=list)


def incomplete(command: str) -> bool:
    """A command continues on the next line: a trailing backslash or an open quote."""
    try:
        shlex.split(command, comments=True)
        return False
    except ValueError:
        return True


def parse(readme: str) -> list:
    lines = readme.split("\n")
    blocks, i = [], 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        prose = next((l for l in reversed(lines[:i]) if l.strip()), "")
        block = Block(line=i + 1, fresh=bool(re.search(r"on a fresh data directory:\s*$", prose, re.I)))
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            if lines[i].startswith("$ "):
                start, command = i, lines[i][2:]
                while incomplete(command) and i + 1 < len(lines):
                    i += 1
                    command += "\n" + lines[i]
                block.steps.append(Step(line=start + 1, command=command))
            elif block.steps:
                block.steps[-1].expected.append(lines[i])
            else:
                raise SystemExit(f"README.md:{i + 1}: output before any command in a console block")
            i += 1
        blocks.append(block)
        i += 1
    return blocks


class Server:
    """crossrate-server on a free loopback port, with a writer's token and a data directory."""

    def __init__(self, binary: str, data_dir: Path, log: Path):
        env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSRATE_")}
        env["CROSSRATE_TOKENS"] = "analyst:s3cret"
        self.log = log
        self.process = subprocess.Popen(
            [binary, "--address", "127.0.0.1", "--port", "0", "--threads", "2", "--data-dir", str(data_dir),
             "--log-level", "warn"],
            stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", log.read_text(errors="replace"))
            if found:
                self.port = int(found.group(1))
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise SystemExit(f"crossrate-server did not start:\n{log.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def skip_reason(command: str, used: set):
    for pattern, reason in SKIPPED:
        if re.search(pattern, command, re.S):
            used.add(pattern)
            return reason
    return None


def normalize(text: str) -> str:
    for pattern, replacement in VOLATILE:
        text = re.sub(pattern, replacement, text)
    return text


def matches(expected: str, actual: str) -> bool:
    parts = [re.escape(p) for p in expected.split(ELLIPSIS)]
    return re.fullmatch(".*".join(parts), actual, re.S) is not None


def where_it_differs(expected: str, actual: str) -> str:
    """Where the actual output leaves the expected one: the first literal piece (between
    ellipses) not found in order."""
    parts = expected.split(ELLIPSIS)
    if not actual.startswith(parts[0]):
        at = len(os.path.commonprefix([parts[0], actual]))
        return f"from character {at}: README {parts[0][at:at + 80]!r}, answer {actual[at:at + 80]!r}"
    at = len(parts[0])
    for part in parts[1:]:
        found = actual.find(part, at)
        if found < 0:
            return f"not found after character {at}: {part[:120]!r}"
        at = found + len(part)
    return "at the end: the answer goes on"


def run_step(command: str, prelude: list, work: Path, env: dict, timeout: float, stream: bool) -> str:
    script = "\n".join(prelude + [command])
    process = subprocess.Popen(["bash", "-c", script], cwd=work, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
        if not stream:
            out += f"\n[the test stopped this step after {timeout:.0f} s]".encode()
    return out.decode("utf-8", errors="replace").replace("\r\n", "\n").rstrip("\n")


def main() -> int:
    args = argparse.ArgumentParser()
    args.add_argument("--readme", required=True)
    args.add_argument("--server", required=True)
    args.add_argument("--cli", required=True)
    args.add_argument("--fixtures", required=True)
    args.add_argument("--keep", action="store_true", help="keep the working directory")
    options = args.parse_args()

    blocks = parse(Path(options.readme).read_text(encoding="utf-8"))
    work = Path(tempfile.mkdtemp(prefix="crossrate-readme-"))
    (work / "build").mkdir()
    (work / "build" / "bin").symlink_to(Path(options.cli).resolve().parent)
    if Path(options.server).resolve().parent != Path(options.cli).resolve().parent:
        raise SystemExit("the server and the CLI are expected side by side, as build/bin/ has them")
    (work / "fixtures").symlink_to(Path(options.fixtures).resolve())
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSRATE_")}
    env["LC_ALL"] = "C.UTF-8"

    failures, ran, skipped, used = [], 0, 0, set()
    prelude, written = [], set()
    main_server = Server(options.server, work / "var", work / "server.log")
    try:
        for block in blocks:
            fresh = Server(options.server, work / f"fresh-{block.line}", work / f"fresh-{block.line}.log") \
                if block.fresh else None
            port = (fresh or main_server).port
            try:
                for step in block.steps:
                    where = f"README.md:{step.line}"
                    reason = skip_reason(step.command, used)
                    if reason:
                        print(f"{where}: skipped: $ {step.command.splitlines()[0]}\n    ({reason})")
                        skipped += 1
                        continue
                    expected = "\n".join(step.expected).rstrip("\n")
                    command = re.sub(r"\b(127\.0\.0\.1|localhost):8080\b", f"127.0.0.1:{port}", step.command)
                    edit = next((e for p, e in EDITS if re.search(p, command)), None)
                    if edit:
                        edit(work)
                    shown = re.fullmatch(r"cat (\S+)", command)
                    if shown and not (work / shown.group(1)).exists() and ELLIPSIS not in expected:
                        (work / shown.group(1)).write_text(expected + "\n", encoding="utf-8")
                        written.add(shown.group(1))
                    timeout = next((t for p, t in STREAMS if re.search(p, command)), None)
                    actual = run_step(command, prelude, work, env, timeout or STEP_TIMEOUT, timeout is not None)
                    if re.fullmatch(r"(export )?[A-Za-z_][A-Za-z0-9_]*=\S+", command):
                        prelude.append(command)  # a variable the later steps use
                    actual = re.sub(rf"\b127\.0\.0\.1:{port}\b", "127.0.0.1:8080", actual)
                    ran += 1
                    if not matches(normalize(expected), normalize(actual)):
                        failures.append((where, step.command, expected, actual,
                                         where_it_differs(normalize(expected), normalize(actual))))
            finally:
                if fresh:
                    fresh.stop()
    finally:
        main_server.stop()

    unused = [p for p, _ in SKIPPED if p not in used]
    for where, command, expected, actual, differs in failures:
        print(f"\n=== {where}: the output differs ({differs})\n$ {command}\n--- README.md shows:\n{expected}\n"
              f"--- the server and CLI answer:\n{actual}")
    for pattern in unused:
        print(f"\nSKIPPED pattern {pattern!r} matches no step of README.md: remove it")
    print(f"\n{ran} steps replayed, {skipped} skipped, {len(failures)} differ"
          + (f"; files written from the README: {', '.join(sorted(written))}" if written else ""))
    if options.keep:
        print(f"working directory: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures or unused else 0


if __name__ == "__main__":
    sys.exit(main())
