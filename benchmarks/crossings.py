"""`python -m benchmarks.crossings`: which of the project's files a warm one-shot "I have a leg
cramp" runs code in, and how often the request crosses from one of them into another.

The request is LegCrampIntent (Muscle: calf) as a device sends it, a new session, through
`skill.app.handler`; it is the second such request in the process (the first built the skill,
compiled its templates and learned the device's time zone from a local stand-in of the Settings
API), so what is counted is what every warm one-shot answer runs. Counted with `sys.setprofile`:
each call into a function of the project's Python files (or a template's compiled code) is charged
to its file; a call whose nearest caller in the project is in another file is a crossing, however
much library code (the ASK SDK, Jinja2) lies between them.

A newcomer reading the request's path reads these files; each crossing is a place where they turn
to another file.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# Code run from here is the measuring, not the skill.
NOT_THE_SKILL = (REPO_ROOT / "benchmarks", REPO_ROOT / "localdev", REPO_ROOT / "tests")


def _project_file(filename: str) -> str | None:
    """The file's path from the repository root, if it is one of the project's, else None."""
    path = Path(filename)
    if not path.is_absolute() or REPO_ROOT not in path.parents:
        return None
    if any(folder in path.parents for folder in NOT_THE_SKILL):
        return None
    if any(part.startswith(".") for part in path.relative_to(REPO_ROOT).parts):
        return None  # a virtualenv inside the checkout: library code
    return path.relative_to(REPO_ROOT).as_posix()


class Tracer:
    """Counts calls per project file and crossings between project files."""

    def __init__(self):
        self.calls: collections.Counter[str] = collections.Counter()
        self.crossings: collections.Counter[tuple[str, str]] = collections.Counter()
        self._files: dict[object, str | None] = {}

    def _file(self, code) -> str | None:
        try:
            return self._files[code]
        except KeyError:
            found = self._files[code] = _project_file(code.co_filename)
            return found

    def __call__(self, frame, event, arg):
        if event != "call":
            return
        callee = self._file(frame.f_code)
        if callee is None:
            return
        self.calls[callee] += 1
        caller = frame.f_back
        while caller is not None and self._file(caller.f_code) is None:
            caller = caller.f_back
        if caller is not None and self._file(caller.f_code) != callee:
            self.crossings[(self._file(caller.f_code), callee)] += 1


def one_shot_cramp(api_url: str) -> dict:
    from localdev.envelopes import Conversation, Device, SlotFill

    def unused(event, context):
        raise AssertionError("only the envelope is built here")

    device = Device(api_endpoint=api_url)
    return Conversation(unused, device=device).intent_request(
        "LegCrampIntent", {"Muscle": SlotFill("calf", "CALF")})


def measure() -> dict:
    """The files, calls and crossings of the second one-shot cramp request in this process."""
    from benchmarks.latency import bench_environment, quiet_logs

    with bench_environment() as api_url, quiet_logs():
        import skill.app

        first = skill.app.handler(one_shot_cramp(api_url), None)
        event = one_shot_cramp(api_url)
        tracer = Tracer()
        sys.setprofile(tracer)
        try:
            second = skill.app.handler(event, None)
        finally:
            sys.setprofile(None)
    for response in (first, second):
        if not response["response"]["outputSpeech"]["ssml"].startswith("<speak>"):
            raise RuntimeError(f"no spoken answer: {json.dumps(response)[:300]}")
    python = sorted(name for name in tracer.calls if name.endswith(".py"))
    templates = sorted(name for name in tracer.calls if not name.endswith(".py"))
    between_python = {pair: count for pair, count in tracer.crossings.items()
                      if all(name.endswith(".py") for name in pair)}
    return {"python_files": python, "templates": templates, "calls": dict(tracer.calls),
            "crossings": sum(tracer.crossings.values()),
            "crossings_between_python_files": sum(between_python.values()),
            "file_pairs": len(tracer.crossings),
            "python_file_pairs": len(between_python),
            "pairs": {f"{a} -> {b}": n for (a, b), n in sorted(tracer.crossings.items())}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args(argv)
    found = measure()
    if options.json:
        print(json.dumps(found, indent=2))
        return 0
    print("A warm one-shot 'I have a leg cramp' (LegCrampIntent through skill.app.handler, the "
          "second in the process) runs code in:")
    for name in found["python_files"]:
        print(f"  {name}  ({found['calls'][name]} calls)")
    print(f"and {len(found['templates'])} templates:")
    for name in found["templates"]:
        print(f"  {name}")
    print("Crossings from one file into another (nearest project caller -> callee):")
    for pair, count in found["pairs"].items():
        print(f"  {pair}: {count}")
    print(f"\n{len(found['python_files'])} Python files, "
          f"{found['crossings_between_python_files']} crossings between them "
          f"({found['python_file_pairs']} distinct pairs); with templates: "
          f"{len(found['python_files']) + len(found['templates'])} files, "
          f"{found['crossings']} crossings ({found['file_pairs']} pairs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
