"""The Lambda artifact, built once per test run whichever test asks first: `sam build` takes most
of a minute, and both the deploy tests and the benchmark's smoke test run what it makes.

`sam build` needs Lambda's Python (3.13) on PATH: it installs the wheels and compiles the bytecode
with it (the Makefile's build-SkillFunction)."""

from __future__ import annotations

import atexit
import functools
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from localdev.moto_server import CREDENTIALS, ROOT

SAM = ROOT / ".venv-sam" / "bin" / "sam"
LAMBDA_PYTHON = (3, 13)
# Lambda's Python with what its managed runtime provides (awslambdaric, snapshot-restore-py):
# `make install` makes it.
VENV_LAMBDA = ROOT / ".venv-lambda"


def _version() -> str:
    return ".".join(map(str, LAMBDA_PYTHON))


def find_lambda_python() -> str | None:
    """A Python 3.13 that really runs: on PATH, else pyenv's (a pyenv shim on PATH may point at
    a version that is not active, so each candidate is tried)."""
    name = f"python{_version()}"
    candidates = [shutil.which(name)]
    pyenv = shutil.which("pyenv")
    if pyenv:
        prefix = subprocess.run([pyenv, "prefix", _version()], capture_output=True, text=True)
        candidates.append(os.path.join(prefix.stdout.strip(), "bin", name))
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        candidates += sorted(glob.glob(os.path.join(root, "versions", f"{_version()}*", "bin",
                                                    name)), reverse=True)
    for candidate in filter(None, candidates):
        try:
            answer = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"],
                                    capture_output=True, text=True, timeout=30)
        except OSError:
            continue
        if answer.returncode == 0 and answer.stdout.strip() == str(LAMBDA_PYTHON):
            return str(Path(candidate).resolve())
    return None


def sam_env() -> dict | None:
    if not SAM.exists():
        return None
    return {**os.environ, **CREDENTIALS, "SAM_CLI_TELEMETRY": "0"}


@functools.cache
def build() -> Path:
    """`sam build` as a clinic runs it (samconfig.toml applies), into a temporary folder; the
    function's folder. Raises LookupError when a tool it needs is missing."""
    python, env = find_lambda_python(), sam_env()
    if python is None:
        raise LookupError(f"no Python {_version()} on this machine (PATH or pyenv): "
                          "sam build needs it")
    if env is None:
        raise LookupError(f"{SAM} is missing: `make install` creates it")
    root = tempfile.mkdtemp(prefix="leg-cramp-aws-sam-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    build_dir = Path(root) / "build"
    env = {**env, "PATH": f"{Path(python).parent}{os.pathsep}{env['PATH']}",
           "PYTHON313": python}
    result = subprocess.run([str(SAM), "build", "--build-dir", str(build_dir)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    if result.returncode:
        raise RuntimeError(f"sam build failed:\n{result.stdout}\n{result.stderr}")
    return build_dir / "SkillFunction"
