"""Assemble the skill package the ASK CLI v2 deploys: the manifest (`skill.json`) with its
endpoint, the clinic's privacy policy and terms of use and its icons filled in, and one
interaction model per locale.

    make skill-package PRIVACY_URL=https://... TERMS_URL=https://... \
        SMALL_ICON=icon-108.png LARGE_ICON=icon-512.png   # for submission (the default)
    make skill-package DRAFT=1                            # to try in development: placeholders
    make skill-package ENDPOINT=arn:aws:lambda:...        # endpoint given, not looked up
    make skill-package ENDPOINT=https://cramps.clinic.example/alexa SSL_CERTIFICATE_TYPE=Wildcard
    python -m localdev.skill_package --help

Each setting can also come from the environment variable of the same name. A package for
submission is refused, with a message naming what to set, while skill.json's placeholder URLs
remain, an icon is missing, or the certificate type is SelfSigned (for testing only, Amazon says).
`--draft` (DRAFT=1) writes it anyway, for a development-stage try.

Every package is checked against Amazon's SMAPI models before it is written
(localdev.smapi_check); one that fails is not written.

The result is an ASK CLI v2 `skill-package/` folder:

    skill.json
    interactionModels/custom/<locale>.json    (every file in interaction_models/)
    assets/images/small-icon.png, large-icon.png   (when given; 108x108 and 512x512 PNG)

Without `--endpoint`, the function ARN is read from the CloudFormation stack that
`sam deploy` created (the `SkillEndpointArn` output: the alias `live` when SnapStart is on, else the function); the stack name and region come from
`samconfig.toml`, as `sam deploy --guided` saved them, unless given.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import struct
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_KEY = "SkillEndpointArn"
LAMBDA_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$")
# Amazon's manifest reference: required for an HTTPS endpoint. "Trusted": a certificate from a
# trusted authority for the endpoint's own name (what certification accepts); "Wildcard": one
# for *.domain; "SelfSigned": uploaded to the console, for testing only.
SSL_CERTIFICATE_TYPES = ("Trusted", "Wildcard", "SelfSigned")
DEFAULT_SSL_CERTIFICATE_TYPE = "Trusted"
# skill.json marks what each clinic must provide with this.
PLACEHOLDER = "REPLACE-WITH"
# Amazon's icon sizes: smallIconUri 108x108, largeIconUri 512x512, PNG.
ICONS = {"small": ("smallIconUri", 108, "assets/images/small-icon.png"),
         "large": ("largeIconUri", 512, "assets/images/large-icon.png")}
URL_SETTINGS = {"privacyPolicyUrl": "PRIVACY_URL", "termsOfUseUrl": "TERMS_URL"}


class NotForSubmission(ValueError):
    """The package would still carry a placeholder; the message says what to set."""


@dataclass(frozen=True)
class Listing:
    """What each clinic provides: where its privacy policy and terms are, and its icons."""

    privacy_url: str | None = None
    terms_url: str | None = None
    small_icon: Path | None = None
    large_icon: Path | None = None
    ssl_certificate_type: str = DEFAULT_SSL_CERTIFICATE_TYPE

    @classmethod
    def from_environment(cls, environ=os.environ) -> "Listing":
        icon = lambda name: Path(environ[name]) if environ.get(name) else None  # noqa: E731
        return cls(environ.get("PRIVACY_URL") or None, environ.get("TERMS_URL") or None,
                   icon("SMALL_ICON"), icon("LARGE_ICON"),
                   environ.get("SSL_CERTIFICATE_TYPE") or DEFAULT_SSL_CERTIFICATE_TYPE)


def endpoint_json(endpoint: str, ssl_certificate_type: str = DEFAULT_SSL_CERTIFICATE_TYPE) -> dict:
    """A Lambda ARN, or the HTTPS address of the skill hosted as a web service."""
    if LAMBDA_ARN.match(endpoint):
        return {"uri": endpoint}
    if endpoint.startswith("https://"):
        if ssl_certificate_type not in SSL_CERTIFICATE_TYPES:
            raise ValueError(f"SSL_CERTIFICATE_TYPE must be one of "
                             f"{', '.join(SSL_CERTIFICATE_TYPES)}, not {ssl_certificate_type!r}")
        return {"uri": endpoint, "sslCertificateType": ssl_certificate_type}
    raise ValueError(f"not a Lambda function ARN or an https:// address: {endpoint!r}")


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG file, from its header; ValueError if it is not one."""
    with open(path, "rb") as file:
        head = file.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG file")
    return struct.unpack(">II", head[16:24])


def _https_url(name: str, url: str) -> str:
    if not re.match(r"^https://[^\s/?#]+\.[^\s/?#]+(/\S*)?$", url) or PLACEHOLDER in url:
        raise ValueError(f"{name} must be an https:// address, not {url!r}")
    return url


def _fill_listing(body: dict, listing: Listing) -> list[str]:
    """Put the clinic's URLs and icon references into the manifest; what is still missing."""
    given = {"privacyPolicyUrl": listing.privacy_url, "termsOfUseUrl": listing.terms_url}
    missing = []
    for urls in body.get("privacyAndCompliance", {}).get("locales", {}).values():
        for key, setting in URL_SETTINGS.items():
            if given[key]:
                urls[key] = _https_url(setting, given[key])
            elif PLACEHOLDER in urls.get(key, PLACEHOLDER):
                missing.append(f"{setting}=https://... (the {key} of every locale)")
    icons = {"small": listing.small_icon, "large": listing.large_icon}
    for which, (key, size, packaged) in ICONS.items():
        if icons[which] is None:
            missing.append(f"{which.upper()}_ICON=path/to/icon-{size}.png ({size}x{size} PNG)")
            continue
        found = png_size(icons[which])
        if found != (size, size):
            raise ValueError(f"{which.upper()}_ICON {icons[which]} is {found[0]}x{found[1]}: "
                             f"Amazon wants {size}x{size} PNG")
        for locale in body["publishingInformation"]["locales"].values():
            locale[key] = f"file://{packaged}"
    if listing.ssl_certificate_type == "SelfSigned":
        missing.append("SSL_CERTIFICATE_TYPE=Trusted or Wildcard (SelfSigned is for testing only)")
    return sorted(set(missing))


def assemble(out: Path, endpoint: str, root: Path = ROOT, listing: Listing = Listing(),
             draft: bool = False) -> Path:
    """Write the skill package to `out` (replacing what was there) and return it. Unless
    `draft`, NotForSubmission while anything the clinic must provide is missing; ValueError
    if Amazon's SMAPI models find it wrong."""
    from localdev.smapi_check import interaction_model_problems, manifest_problems

    target = endpoint_json(endpoint, listing.ssl_certificate_type)
    manifest = json.loads((root / "skill.json").read_text(encoding="utf-8"))
    body = manifest["manifest"]
    body.setdefault("apis", {}).setdefault("custom", {})["endpoint"] = target
    if "events" in body:
        # Skill events (SkillDisabled) go to the same function, with the same certificate.
        body["events"]["endpoint"] = dict(target)
    missing = _fill_listing(body, listing)
    if missing and not draft:
        raise NotForSubmission(
            "not writing a skill package for submission while placeholders remain. Set "
            + "; ".join(missing)
            + " (make skill-package NAME=value, or the environment). For a package to try in "
            "development only: make skill-package DRAFT=1 (or --draft).")
    problems = manifest_problems(manifest)
    models = {path.name: json.loads(path.read_text(encoding="utf-8"))  # broken JSON fails here
              for path in sorted((root / "interaction_models").glob("*.json"))}
    for name, model in models.items():
        problems += [f"{name}: {problem}" for problem in interaction_model_problems(model)]
    if problems:
        raise ValueError("Amazon's SMAPI models refuse this package:\n  " + "\n  ".join(problems))

    if out.exists():
        shutil.rmtree(out)
    models_dir = out / "interactionModels" / "custom"
    models_dir.mkdir(parents=True)
    (out / "skill.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    for name in models:
        shutil.copyfile(root / "interaction_models" / name, models_dir / name)
    icons = {"small": listing.small_icon, "large": listing.large_icon}
    for which, (_, _, packaged) in ICONS.items():
        if icons[which] is not None:
            (out / packaged).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(icons[which], out / packaged)
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
    defaults = Listing.from_environment()
    parser.add_argument("--privacy-url", default=defaults.privacy_url,
                        help="the clinic's privacy policy, https:// (default: $PRIVACY_URL)")
    parser.add_argument("--terms-url", default=defaults.terms_url,
                        help="the clinic's terms of use, https:// (default: $TERMS_URL)")
    parser.add_argument("--small-icon", type=Path, default=defaults.small_icon,
                        help="108x108 PNG (default: $SMALL_ICON)")
    parser.add_argument("--large-icon", type=Path, default=defaults.large_icon,
                        help="512x512 PNG (default: $LARGE_ICON)")
    parser.add_argument("--ssl-certificate-type", default=defaults.ssl_certificate_type,
                        choices=SSL_CERTIFICATE_TYPES,
                        help="for an https:// endpoint (default: $SSL_CERTIFICATE_TYPE, else "
                             f"{DEFAULT_SSL_CERTIFICATE_TYPE})")
    parser.add_argument("--draft", action="store_true",
                        default=os.environ.get("DRAFT", "") not in ("", "0"),
                        help="write it with placeholders, for development only (default: $DRAFT)")
    args = parser.parse_args(argv)
    listing = Listing(args.privacy_url, args.terms_url, args.small_icon, args.large_icon,
                      args.ssl_certificate_type)

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
        out = assemble(args.out, endpoint, listing=listing, draft=args.draft)
    except (ValueError, OSError) as error:
        parser.exit(2, f"{parser.prog}: {error}\n")
    print(f"{'draft ' if args.draft else ''}skill package for {endpoint} in {out}")
    if args.draft:
        print("a draft may carry placeholders: for the development stage only, never submit it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
