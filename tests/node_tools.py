"""Python front-ends for the Node checkers in tests/js/ (virtual-alexa, ssml-check-core).

Each call runs one `node` process for the whole batch, with the repo root as working directory.
The npm packages come from package.json / package-lock.json (`npm ci`, which `make test` runs).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
JS_DIR = REPO_ROOT / "tests" / "js"
NPM_PACKAGES = ("virtual-alexa", "ssml-check-core")


class NodeToolsError(RuntimeError):
    """A Node checker could not run (missing node or node_modules) or failed."""


def _run(script: str, args: list[str] | None = None, stdin: str | None = None) -> object:
    node = shutil.which("node")
    if node is None:
        raise NodeToolsError("`node` is not on PATH: install Node.js 20, then run `make test` (or `npm ci`).")
    missing = [p for p in NPM_PACKAGES if not (REPO_ROOT / "node_modules" / p / "package.json").is_file()]
    if missing:
        raise NodeToolsError(
            f"node_modules is missing {', '.join(missing)}: run `make test`, or `npm ci --no-audit --no-fund` "
            f"in {REPO_ROOT}, before these tests."
        )
    env = dict(os.environ, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE="1")
    proc = subprocess.run(
        [node, str(JS_DIR / script), *(args or [])],
        cwd=REPO_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if proc.returncode != 0:
        raise NodeToolsError(f"node {script} exited with {proc.returncode}:\n{proc.stderr.strip()}")
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise NodeToolsError(f"node {script} printed something that is not JSON: {proc.stdout[:500]!r}") from exc


def check_ssml(ssml_list: list[str]) -> list[list | None]:
    """Check each SSML string against Alexa's rules; None where valid, else ssml-check-core's errors.

    Not checked by ssml-check-core: the 8,000-character limit on output speech.
    """
    ssml_list = list(ssml_list)
    if not ssml_list:
        return []
    result = _run("check_ssml.js", stdin=json.dumps(ssml_list))
    if not isinstance(result, list) or len(result) != len(ssml_list):
        raise NodeToolsError(f"check_ssml.js returned {len(result)} results for {len(ssml_list)} inputs")
    return result


def route_utterances(model_path: str | os.PathLike) -> list[dict]:
    """Send every sample utterance of the model through virtual-alexa; one record per request.

    See tests/js/route_utterances.js for the record's fields.
    """
    return _run("route_utterances.js", [str(Path(model_path).resolve())])


def web_conversation(model_path: str | os.PathLike, url: str, steps: int) -> list[dict]:
    """Launch, the cramp answer, the bedtime walkthrough (`steps` steps) and stop, sent over HTTP
    to `url` by virtual-alexa from the words, using the model. One record per turn
    (tests/js/web_conversation.js)."""
    return _run("web_conversation.js", [str(Path(model_path).resolve()), url, str(steps)])


def route_phrasings(batches: list[tuple[str | os.PathLike, list[str]]]) -> list[list[dict]]:
    """Route each batch's utterances through virtual-alexa with that batch's model, all in one
    node process; one list of records per batch (tests/js/route_phrasings.js)."""
    payload = [{"model": str(Path(model).resolve()), "utterances": list(utterances)}
               for model, utterances in batches]
    return _run("route_phrasings.js", stdin=json.dumps(payload))
