"""The skill package a clinic submits (localdev/skill_package.py): checked against Amazon's own
SMAPI models for a Lambda function and for a web service, with the clinic's privacy policy,
terms of use and icons, and refused for submission while any of them is a placeholder."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from localdev.skill_package import (Listing, NotForSubmission, assemble, endpoint_json,
                                    png_size)
from localdev.smapi_check import interaction_model_problems, manifest_problems
from tests.moto_server import ROOT

ARN = "arn:aws:lambda:us-east-1:123456789012:function:leg-cramp-helper-SkillFunction-AbC123"
WEB = "https://cramps.clinic.example/alexa"
PRIVACY = "https://clinic.example/privacy"
TERMS = "https://clinic.example/terms"


def png(path: Path, width: int, height: int) -> Path:
    """A real (one-colour) PNG of that size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\x30\x80\xc0" * width for _ in range(height))
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return path


@pytest.fixture
def clinic(tmp_path) -> Listing:
    """What a clinic provides: its two pages and its two icons."""
    return Listing(PRIVACY, TERMS, png(tmp_path / "small.png", 108, 108),
                   png(tmp_path / "large.png", 512, 512))


def packaged(out: Path) -> tuple[dict, dict[str, dict]]:
    manifest = json.loads((out / "skill.json").read_text())
    models = {path.name: json.loads(path.read_text())
              for path in (out / "interactionModels" / "custom").glob("*.json")}
    return manifest, models


# --- Amazon's models agree with every package ----------------------------------------------------

@pytest.mark.parametrize("endpoint", [ARN, WEB])
@pytest.mark.parametrize("draft", [False, True])
def test_every_package_is_what_amazons_smapi_models_describe(tmp_path, clinic, endpoint, draft):
    listing = clinic if not draft else Listing()
    manifest, models = packaged(assemble(tmp_path / "p", endpoint, listing=listing, draft=draft))
    assert manifest_problems(manifest) == []
    assert sorted(models) == sorted(p.name for p in (ROOT / "interaction_models").glob("*.json"))
    for name, model in models.items():
        assert interaction_model_problems(model) == [], name


def test_a_web_service_endpoint_carries_its_certificate_type_everywhere(tmp_path, clinic):
    for kind in ("Trusted", "Wildcard"):
        listing = Listing(**{**clinic.__dict__, "ssl_certificate_type": kind})
        manifest, _ = packaged(assemble(tmp_path / kind, WEB, listing=listing))
        body = manifest["manifest"]
        assert body["apis"]["custom"]["endpoint"] == {"uri": WEB, "sslCertificateType": kind}
        assert body["events"]["endpoint"] == {"uri": WEB, "sslCertificateType": kind}
    with pytest.raises(ValueError, match="SSL_CERTIFICATE_TYPE"):
        endpoint_json(WEB, "Valid")


def test_the_check_finds_what_amazons_deserialiser_lets_through():
    manifest = json.loads((ROOT / "skill.json").read_text())
    body = manifest["manifest"]
    body["apis"]["custom"]["endpoint"] = {"uri": WEB}  # no sslCertificateType
    body["events"]["endpoint"] = {"uri": ARN, "sslCertficateType": "Trusted"}  # misspelled
    body["publishingInformation"]["locales"]["en-GB"]["examplePhrase"] = ["Alexa, open it"]
    body["apis"]["custom"]["interfaces"].append({"type": "CAN_FULFILL_INTENT_REQUEST",
                                                 "version": "1"})
    problems = manifest_problems(manifest)
    assert any("custom.endpoint: an HTTPS endpoint needs sslCertificateType" in p
               for p in problems)
    assert any("events.endpoint.sslCertficateType: not a field" in p for p in problems)
    assert any("en-GB.examplePhrase: not a field" in p for p in problems)
    assert any("CAN_FULFILL_INTENT_REQUEST takes no fields" in p for p in problems)

    model = json.loads((ROOT / "interaction_models" / "en-US.json").read_text())
    intent = model["interactionModel"]["languageModel"]["intents"][0]
    intent["sample"] = intent.pop("samples", [])
    assert [p for p in interaction_model_problems(model) if "intents[0].sample:" in p]


# --- what the clinic provides --------------------------------------------------------------------

def test_a_package_for_submission_carries_the_clinics_pages_and_icons(tmp_path, clinic):
    out = assemble(tmp_path / "p", ARN, listing=clinic)
    body = json.loads((out / "skill.json").read_text())["manifest"]
    for urls in body["privacyAndCompliance"]["locales"].values():
        assert urls == {"privacyPolicyUrl": PRIVACY, "termsOfUseUrl": TERMS}
    for listing in body["publishingInformation"]["locales"].values():
        for key, size in (("smallIconUri", 108), ("largeIconUri", 512)):
            assert listing[key].startswith("file://assets/images/")
            assert png_size(out / listing[key].removeprefix("file://")) == (size, size)
    assert "REPLACE-WITH" not in (out / "skill.json").read_text()


def test_a_package_for_submission_is_refused_while_a_placeholder_remains(tmp_path, clinic):
    with pytest.raises(NotForSubmission) as refused:
        assemble(tmp_path / "p", ARN)
    for setting in ("PRIVACY_URL", "TERMS_URL", "SMALL_ICON", "LARGE_ICON", "DRAFT=1"):
        assert setting in str(refused.value)
    assert not (tmp_path / "p").exists()
    partly = Listing(PRIVACY, None, clinic.small_icon, clinic.large_icon)
    with pytest.raises(NotForSubmission, match="TERMS_URL") as refused:
        assemble(tmp_path / "p", ARN, listing=partly)
    assert "PRIVACY_URL" not in str(refused.value)
    selfsigned = Listing(**{**clinic.__dict__, "ssl_certificate_type": "SelfSigned"})
    with pytest.raises(NotForSubmission, match="SelfSigned is for testing only"):
        assemble(tmp_path / "p", WEB, listing=selfsigned)
    assemble(tmp_path / "p", WEB, listing=selfsigned, draft=True)  # fine to try


@pytest.mark.parametrize("change, message", [
    ({"small_icon": "large"}, "SMALL_ICON .* is 512x512: Amazon wants 108x108"),
    ({"large_icon": "text"}, "is not a PNG"),
    ({"privacy_url": "http://clinic.example/privacy"}, "PRIVACY_URL must be an https://"),
    ({"terms_url": "https://clinic.example/REPLACE-WITH-YOUR-TERMS-OF-USE"}, "TERMS_URL"),
])
def test_what_the_clinic_provides_is_checked(tmp_path, clinic, change, message):
    (tmp_path / "text.png").write_text("not an image")
    files = {"large": clinic.large_icon, "text": tmp_path / "text.png"}
    values = {key: files.get(value, value) for key, value in change.items()}
    with pytest.raises(ValueError, match=message):
        assemble(tmp_path / "p", ARN, listing=Listing(**{**clinic.__dict__, **values}))


def test_make_skill_package_takes_the_settings_and_says_what_is_missing(tmp_path, clinic):
    make = ["make", "--no-print-directory", "-o", ".venv/.installed", "skill-package",
            f"BIN={Path(sys.executable).parent}", f"ENDPOINT={WEB}",
            f"SKILL_PACKAGE={tmp_path / 'out'}"]
    settings = ("PRIVACY_URL", "TERMS_URL", "SMALL_ICON", "LARGE_ICON", "SSL_CERTIFICATE_TYPE",
                "DRAFT")
    env = {key: value for key, value in os.environ.items() if key not in settings}
    refused = subprocess.run(make, cwd=ROOT, capture_output=True, text=True, env=env)
    assert refused.returncode != 0 and "PRIVACY_URL=https://" in refused.stderr
    subprocess.run(make + [f"PRIVACY_URL={PRIVACY}", f"TERMS_URL={TERMS}",
                           f"SMALL_ICON={clinic.small_icon}", f"LARGE_ICON={clinic.large_icon}",
                           "SSL_CERTIFICATE_TYPE=Wildcard"],
                   cwd=ROOT, check=True, capture_output=True, env=env)
    manifest, _ = packaged(tmp_path / "out")
    assert manifest["manifest"]["apis"]["custom"]["endpoint"]["sslCertificateType"] == "Wildcard"
    assert (tmp_path / "out" / "assets" / "images" / "large-icon.png").is_file()
