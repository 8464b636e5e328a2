"""The built Lambda artifact's size, unzipped and zipped, if it has been built.

`python -m benchmarks.artifact` prints the figures exactly (files and bytes), after `make build`.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# Where `sam build` (and the Makefile's build, which runs it) leaves the function's folder.
BUILD_DIRS = (REPO_ROOT / ".aws-sam" / "build" / "SkillFunction",)
# The Lambda Python runtime has these already; a build that bundles them ships them twice.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath")


def build_command() -> str:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    return "make build" if "\nbuild:" in makefile else "sam build"


def measure() -> dict | None:
    """Bytes on disk and zipped (deflate, as `sam deploy` packages it); None if not built."""
    folder = next((path for path in BUILD_DIRS if path.is_dir()), None)
    if folder is None:
        return None
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.relative_to(folder).as_posix())
    runtime_bytes = sum(path.stat().st_size for path in files
                        if path.relative_to(folder).parts[0].split("-")[0] in RUNTIME_PROVIDED)
    return {"folder": folder.relative_to(REPO_ROOT).as_posix(), "files": len(files),
            "unzipped": sum(path.stat().st_size for path in files),
            "zipped": buffer.tell(), "runtime_provided": runtime_bytes}


if __name__ == "__main__":
    size = measure()
    if size is None:
        raise SystemExit(f"not built: run `{build_command()}` first")
    print(f"{size['folder']}: {size['files']} files, {size['unzipped']:,} bytes unzipped, "
          f"{size['zipped']:,} bytes zipped")
