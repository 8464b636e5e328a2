"""Assemble the skill package the ASK CLI v2 deploys: the manifest (`skill.json`) with its
endpoint filled in, and one interaction model per locale.

    make skill-package                              # endpoint from the deployed stack's output
    make skill-package ENDPOINT=arn:aws:lambda:...  # or given
    python -m localdev.skill_package --endpoint arn:aws:lambda:... --out build/skill-package

The result is an ASK CLI v2 `skill-package/` folder:

    skill.json
    interactionModels/custom/<locale>.json    (every file in interaction_models/)

Without `--endpoint`, the function ARN is read from the CloudFormation stack that
`sam deploy` created (the `SkillFunctionArn` output); the stack name and region come from
`samconfig.toml`, as `sam deploy --guided` saved them, unless given.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_KEY = "SkillFunctionArn"
LAMBDA_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$")


def endpoint_json(endpoint: str) -> dict:
    """A Lambda ARN, or the HTTPS address of the skill hosted as a web service."""
    if LAMBDA_ARN.match(endpoint):
        return {"uri": endpoint}
    if endpoint.startswith("https://"):
        return {"uri": endpoint, "sslCertificateType": "Trusted"}
    raise ValueError(f"not a Lambda function ARN or an https:// address: {endpoint!r}")


def assemble(out: Path, endpoint: str, root: Path = ROOT) -> Path:
    """Write the skill package to `out` (replacing what was there) and return it."""
    target = endpoint_json(endpoint)
    manifest = json.loads((root / "skill.json").read_text(encoding="utf-8"))
    body = manifest["manifest"]
    body.setdefault("apis", {}).setdefault("custom", {})["endpoint"] = target
    if "events" in body:
        # Skill events (SkillDisabled) go to the same function.
        body["events"]["endpoint"] = {"uri": target["uri"]}

    if out.exists():
        shutil.rmtree(out)
    models = out / "interactionModels" / "custom"
    models.mkdir(parents=True)
    (out / "skill.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    for model in sorted((root / "interaction_models").glob("*.json")):
        json.loads(model.read_text(encoding="utf-8"))  # a broken model fails here, not in ASK
        shutil.copyfile(model, models / model.name)
    return out


def deploy_settings(root: Path = ROOT) -> dict:
    """Stack name and region as `sam deploy --guided` saved them in samconfig.toml."""
    path = root / "samconfig.toml"
    if not path.is_file():
        return {}
    config = tomllib.loads(path.read_text(encoding="utf-8")).get("default", {})
    settings = {}
    for section in ("global", "deploy"):
        settings.update(config.get(section, {}).get("parameters", {}))
    return settings


def endpoint_from_stack(stack_name: str, region: str | None) -> str:
    import boto3  # only here: assembling with an explicit endpoint needs no AWS at all

    stacks = boto3.client("cloudformation", region_name=region).describe_stacks(
        StackName=stack_name)["Stacks"]
    for output in stacks[0].get("Outputs", []) if stacks else []:
        if output.get("OutputKey") == OUTPUT_KEY:
            return output["OutputValue"]
    raise LookupError(f"stack {stack_name!r} has no {OUTPUT_KEY} output: was it deployed "
                      "from this template?")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localdev.skill_package",
                                     description="Assemble the ASK CLI v2 skill package.")
    parser.add_argument("--endpoint", help="the function ARN (default: the deployed stack's "
                                           f"{OUTPUT_KEY} output) or an https:// address")
    parser.add_argument("--stack-name", help="default: stack_name in samconfig.toml")
    parser.add_argument("--region", help="default: region in samconfig.toml, else AWS's own")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "skill-package")
    args = parser.parse_args(argv)

    endpoint = args.endpoint
    if not endpoint:
        settings = deploy_settings()
        stack_name = args.stack_name or settings.get("stack_name")
        if not stack_name:
            parser.error("no --endpoint, and no stack_name in samconfig.toml to look it up")
        try:
            endpoint = endpoint_from_stack(stack_name, args.region or settings.get("region"))
        except Exception as error:
            parser.exit(1, f"could not read the endpoint from stack {stack_name!r}: {error}\n"
                           "Deploy first (sam build && sam deploy --guided), or give "
                           "ENDPOINT=arn:aws:lambda:...\n")
    try:
        out = assemble(args.out, endpoint)
    except ValueError as error:
        parser.error(str(error))
    print(f"skill package for {endpoint} in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
