"""What a clinic deploys: the SAM template passes cfn-lint and `sam validate --lint`; `sam build`
makes a function folder holding only the skill, its words and its runtime dependencies, compiled
for Python 3.13; that folder answers real envelopes in a fresh Python 3.13 with nothing else on
its path; and the skill manifest and package match the interaction model."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tomllib
from email.parser import HeaderParser
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from localdev.envelopes import Conversation, Device, SlotFill
from localdev.matcher import normalize
from localdev.skill_package import assemble
from skill.stores import TTL_ATTRIBUTE
from tests import lambda_build
from tests.conftest import DAYTIME
from tests.lambda_build import SAM, find_lambda_python
from tests.moto_server import CREDENTIALS, ROOT, template

ARN = "arn:aws:lambda:us-east-1:123456789012:function:leg-cramp-helper-SkillFunction-AbC123"


@pytest.fixture(scope="session")
def python313():
    found = find_lambda_python()
    if found is None:
        pytest.skip("no Python 3.13 on this machine (PATH or pyenv): sam build needs it")
    return found


@pytest.fixture(scope="session")
def sam_env():
    env = lambda_build.sam_env()
    if env is None:
        pytest.skip(f"{SAM} is missing: `make install` creates it")
    return env


def run(command, env=None, timeout=300, **options):
    result = subprocess.run([str(part) for part in command], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=timeout, **options)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def built(sam_env, python313) -> Path:
    """`sam build`, once per run (tests/lambda_build.py: the benchmark's test reuses it)."""
    return lambda_build.build()


# --- the template --------------------------------------------------------------------------

def test_cfn_lint_passes():
    run([Path(sys.executable).parent / "cfn-lint", "template.yaml"])


def test_sam_validate_with_lint_passes(sam_env):
    run([SAM, "validate", "--lint"], env=sam_env)


def test_the_template_wires_the_function_its_table_and_logs():
    resources = template()["Resources"]
    function = resources["SkillFunction"]["Properties"]
    assert function["Runtime"] == "python3.13" and function["Architectures"] == ["arm64"]
    assert function["Handler"] == "skill.app.handler"
    assert function["Timeout"] < 8, "Alexa waits 8 seconds"
    assert function["Events"]["Alexa"] == {"Type": "AlexaSkill",
                                           "Properties": {"SkillId": "SkillId"}}
    assert function["Environment"]["Variables"] == {
        "SKILL_ID": "SkillId", "TABLE_NAME": "MemoryTable", "CLINIC_NAME": "ClinicName",
        "CLINIC_PHONE": "ClinicPhone", "CLINIC_BOOKING_URL": "ClinicBookingUrl"}
    assert function["LoggingConfig"] == {"LogGroup": "SkillLogGroup"}
    [policy] = function["Policies"]
    [statement] = policy["Statement"]
    # UpdateItem, not PutItem: a write keeps the item attributes a newer version added.
    assert sorted(statement["Action"]) == ["dynamodb:DeleteItem", "dynamodb:GetItem",
                                           "dynamodb:UpdateItem"]
    assert statement["Resource"] == "MemoryTable.Arn"

    table = resources["MemoryTable"]["Properties"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["SSESpecification"] == {"SSEEnabled": True}
    assert table["TimeToLiveSpecification"] == {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}
    assert resources["SkillLogGroup"]["Properties"]["RetentionInDays"] == "LogRetentionInDays"
    assert set(template()["Outputs"]) >= {"SkillFunctionArn", "MemoryTableName"}


def with_snapstart_on(folder: Path) -> Path:
    """template.yaml as a clinic deploying with EnableSnapStart=true sees it: linters judge the
    defaults, so the copy defaults to on."""
    text = (ROOT / "template.yaml").read_text(encoding="utf-8")
    on = text.replace('Default: "false"', 'Default: "true"', 1)
    assert on != text
    path = folder / "template.yaml"
    path.write_text(on, encoding="utf-8")
    return path


def test_with_snapstart_on_cfn_lint_and_sam_validate_pass(tmp_path, sam_env):
    on = with_snapstart_on(tmp_path)
    run([Path(sys.executable).parent / "cfn-lint", on])
    run([SAM, "validate", "--lint", "--template-file", on], env=sam_env)


def test_snapstart_is_an_option_off_by_default_behind_the_alias_live():
    parameters, conditions = template()["Parameters"], template()["Conditions"]
    assert parameters["EnableSnapStart"]["Default"] == "false"
    assert parameters["EnableSnapStart"]["AllowedValues"] == ["true", "false"]
    assert conditions["SnapStartOn"] == ["EnableSnapStart", "true"]
    function = template()["Resources"]["SkillFunction"]["Properties"]
    assert function["AutoPublishAlias"] == "live"
    assert function["VersionDeletionPolicy"] == "Delete"
    assert function["SnapStart"] == {"ApplyOn": ["SnapStartOn", "PublishedVersions", "None"]}
    # SAM puts the AlexaSkill trigger on the alias; off, the function itself may be invoked too.
    permission = template()["Resources"]["AlexaInvokesTheFunction"]
    assert permission["Condition"] == "SnapStartOff"
    assert permission["Properties"]["Principal"] == "alexa-appkit.amazon.com"
    assert permission["Properties"]["EventSourceToken"] == "SkillId"
    endpoint = template()["Outputs"]["SkillEndpointArn"]["Value"]
    assert endpoint == ["SnapStartOn", "SkillFunctionAliaslive", "SkillFunction.Arn"]


# --- the artifact --------------------------------------------------------------------------

def test_the_function_folder_holds_the_skill_its_words_and_runtime_dependencies_only(built):
    recorded = set()
    distributions = set()
    for record in built.glob("*.dist-info/RECORD"):
        distributions.add(record.parent.name.split("-")[0].lower().replace("_", "-"))
        for line in record.read_text().splitlines():
            recorded.add(line.split(",")[0].split("/")[0])
    # responses_compiled/: the templates compiled at build time (docs/performance.md).
    extra = {path.name for path in built.iterdir()} - recorded - {
        "skill", "responses", "responses_compiled", "__pycache__"}
    assert extra == set(), "not from the skill or any dependency"
    assert {"ask-sdk-core", "jinja2", "markupsafe"} <= distributions
    assert distributions.isdisjoint({"boto3", "botocore", "s3transfer", "pytest", "hypothesis",
                                     "moto", "cfn-lint", "pip", "setuptools", "leg-cramp-helper"})
    assert sorted(path.relative_to(built / "skill").as_posix()
                  for path in (built / "skill").rglob("*.py")) == sorted(
        path.relative_to(ROOT / "skill").as_posix() for path in (ROOT / "skill").rglob("*.py"))
    assert {path.relative_to(built).as_posix() for path in (built / "responses").rglob("*")
            if path.is_file()} == {path.relative_to(ROOT).as_posix()
                                   for path in (ROOT / "responses").rglob("*") if path.is_file()}
    assert not list(built.glob("*/tests")) and not (built / "localdev").exists()
    # Wheels for Lambda's arm64, not for the machine that built it.
    assert list(built.glob("markupsafe/_speedups.cpython-313-aarch64-linux-gnu.so"))


def _installed_with(requirements: list[str]) -> set[str]:
    """The distributions these requirements install, with all they require in turn (extras
    not asked for left out), as installed here."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found, pending = set(), list(requirements)
    while pending:
        requirement = Requirement(pending.pop())
        name = canonicalize_name(requirement.name)
        if name in found or (requirement.marker and not requirement.marker.evaluate(
                {"extra": ""})):
            continue
        found.add(name)
        pending.extend(metadata.requires(name) or [])
    return found


def web_mode_modules() -> set[str]:
    """The top-level modules of the web-service hosting mode: its own package and whatever
    only the `web` extra installs."""
    import tomllib
    from importlib import metadata

    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    web_only = _installed_with(project["optional-dependencies"]["web"]) \
        - _installed_with(project["dependencies"])
    modules = {module for module, names in metadata.packages_distributions().items()
               if {canonicalize_name(name) for name in names} <= web_only}
    assert {"ask_sdk_webservice_support", "cryptography", "oscrypto"} <= modules
    return modules | {"webservice"}


FIND = """
import importlib.util, json, sys
sys.path.insert(0, sys.argv[1])
print(json.dumps([name for name in sys.argv[2:] if importlib.util.find_spec(name)]))
"""


def test_nothing_of_the_web_service_is_in_the_artifact_or_importable_from_it(built, python313):
    """Package by deployment: Lambda never hosts the web service, so its artifact carries
    neither the `webservice` package nor the web extra's dependencies."""
    modules = web_mode_modules()
    assert not [path for path in built.iterdir() if path.name.split(".")[0] in modules]
    # Where the web mode lived before it was a package of its own.
    names = sorted(modules | {"skill.web", "skill.web_verify", "skill.web_compat"})
    found = run([python313, "-I", "-S", "-c", FIND, built, *names]).stdout
    assert json.loads(found) == []


def test_the_demo_page_is_not_in_the_artifact(built):
    """Package by deployment: the demo page (`make demo`, docs/demo.md) runs on a laptop, never
    on Lambda."""
    assert not (built / "demo").exists()
    assert not [path for path in built.rglob("*") if path.suffix in (".html", ".css")]


def test_every_module_ships_bytecode_for_313_that_never_goes_stale(built):
    sources = list(built.rglob("*.py"))
    assert len(sources) > 100
    for source in sources:
        compiled = Path(importlib.util.cache_from_source(str(source)))
        compiled = compiled.with_name(compiled.name.replace(sys.implementation.cache_tag,
                                                            "cpython-313"))
        header = compiled.read_bytes()[:8]
        # PEP 552 flags: bit 0 set = hash-based, bit 1 clear = the source is never checked.
        assert int.from_bytes(header[4:8], "little") == 0b01, compiled


SERVE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from skill.app import handler
for line in sys.stdin:
    sys.stdout.write(json.dumps(handler(json.loads(line), None)) + "\\n")
    sys.stdout.flush()
print(json.dumps(sorted({getattr(m, "__file__", None) or "" for m in list(sys.modules.values())})))
"""


class BuiltHandler:
    """The built function in a fresh Python 3.13 (isolated, no site-packages) with only the
    function folder on its path, answering one envelope per line, as Lambda would call it."""

    def __init__(self, python: str, folder: Path, env: dict):
        self.process = subprocess.Popen([python, "-I", "-S", "-c", SERVE, str(folder)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=env, cwd=folder)

    def __call__(self, event, context):
        self.process.stdin.write(json.dumps(event) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, self.process.stderr.read()
        return json.loads(line)

    def close(self) -> list[str]:
        """End the process; the files of every module it imported."""
        out, err = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, err
        return json.loads(out.splitlines()[-1])


# --- the lock: what the artifact ships, pinned -------------------------------------------------

LOCK = ROOT / "requirements-lambda.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def locked() -> dict[str, str]:
    """Distribution name -> version, as requirements-lambda.txt pins them."""
    return {canonicalize_name(found[1]): found[2]
            for found in map(PIN.match, LOCK.read_text(encoding="utf-8").splitlines()) if found}


def shipped(folder: Path) -> dict[str, str]:
    """Distribution name -> version, as the built function folder holds them."""
    found = {}
    for record in folder.glob("*.dist-info/METADATA"):
        headers = HeaderParser().parsestr(record.read_text(encoding="utf-8"))
        found[canonicalize_name(headers["Name"])] = headers["Version"]
    return found


# Lambda's python3.13 on arm64, where botocore's requirements are read.
LAMBDA_ENVIRONMENT = {**default_environment(), "python_version": "3.13",
                      "python_full_version": "3.13.0", "sys_platform": "linux",
                      "platform_system": "Linux", "platform_machine": "aarch64",
                      "implementation_name": "cpython", "extra": ""}


def outside_botocores_ranges(versions: dict[str, str]) -> list[str]:
    """The packages in `versions` that the botocore of this environment (Lambda's runtime has one)
    declares it does not support."""
    broken = []
    for line in metadata.requires("botocore") or []:
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate(LAMBDA_ENVIRONMENT):
            continue
        version = versions.get(canonicalize_name(requirement.name))
        if version is not None and not requirement.specifier.contains(version, prereleases=True):
            broken.append(f"{requirement.name} {version} (botocore wants {requirement.specifier})")
    return broken


def test_the_function_folder_ships_exactly_what_the_lock_pins(built):
    assert shipped(built) == locked(), "the build did not install requirements-lambda.txt"


def test_the_artifact_keeps_within_the_ranges_botocore_declares(built):
    assert outside_botocores_ranges(shipped(built)) == []
    assert outside_botocores_ranges(locked()) == []
    # The check means something: what the artifact shipped before it had a lock.
    assert outside_botocores_ranges({"python-dateutil": "4.0.0"}) != []


def test_the_lock_pins_every_dependency_in_its_range_each_with_its_hash():
    with open(ROOT / "pyproject.toml", "rb") as file:
        dependencies = [Requirement(line) for line in
                        tomllib.load(file)["project"]["dependencies"]]
    pins = locked()
    for dependency in dependencies:
        version = pins.get(canonicalize_name(dependency.name))
        assert version is not None and dependency.specifier.contains(version), \
            f"{dependency} is not pinned within its range: run make lock"
    text = LOCK.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text[text.index("\n", text.rindex("# ")) + 1:])
    assert len(entries) == len(pins)
    assert all(re.search(r"--hash=sha256:[0-9a-f]{64}", entry) for entry in entries)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes --no-deps -r requirements-lambda.txt" in makefile


def files(folder: Path) -> dict:
    return {path: path.stat().st_mtime_ns for path in folder.rglob("*")}


def test_the_built_handler_answers_real_envelopes_in_a_fresh_python_313(built, python313,
                                                                         tmp_path, alexa_api):
    before = files(built)
    env = {"PATH": os.environ["PATH"], "DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "INFO"}
    handler = BuiltHandler(python313, built, env)
    # By day: at night the launch says what to do for a cramp first (tests/test_launch_at_night.py).
    talk = Conversation(handler, device=Device(api_endpoint=alexa_api.url), now=lambda: DAYTIME)
    launch = talk.launch()
    assert "not a substitute for professional medical advice" in launch.text
    assert talk.intent("LegCrampIntent", Muscle=SlotFill("calf", "CALF", "calf")).text.startswith(
        "Straighten your leg")
    assert "Left calf" in talk.intent("BedtimeStretchIntent").text
    assert "Right calf" in talk.intent("AMAZON.NextIntent").text
    assert talk.end().ssml is None
    imported = handler.close()

    base = Path(subprocess.run([python313, "-c", "import sys; print(sys.base_prefix)"],
                               capture_output=True, text=True).stdout.strip())
    outside = [name for name in imported if name and not Path(name).is_relative_to(built)
               and not Path(name).is_relative_to(base)]
    assert outside == [], "imported from outside the function folder and the runtime"
    # The cramp answer's body parts come from the symptom table the build wrote as JSON.
    assert not [name for name in imported if name and "tomllib" in Path(name).parts]
    assert files(built) == before, "bytecode was written: some module had none that was valid"


LOADER = """
import sys
sys.path.insert(0, sys.argv[1])
from skill.speech import speech
renderer = speech()
renderer.render("en-GB", "relief/answer", muscle="calf")
print(type(renderer.env.loader).__name__, len(renderer.env.cache))
"""


def test_the_artifact_loads_its_templates_compiled_when_it_was_built(built, python313):
    """A cold start loads the templates it needs from responses_compiled/ (docs/performance.md)
    rather than compiling them: the build compiled every one, with the Jinja2 it ships."""
    assert len(list((built / "responses_compiled").glob("tmpl_*.py"))) > 100
    loaded = run([python313, "-I", "-S", "-c", LOADER, built]).stdout.split()
    assert loaded[0] == "CompiledLoader" and int(loaded[1]) > 1


def test_on_lambda_the_cramp_answer_needs_no_boto3_and_the_rest_survive_without_it(
        built, python313, alexa_api):
    """The function folder has no boto3 (Lambda's runtime provides it). With TABLE_NAME set and
    no boto3 anywhere, the one-shot cramp answer works, and a launch still answers."""
    env = {"PATH": os.environ["PATH"], "TABLE_NAME": "memory", **CREDENTIALS}
    handler = BuiltHandler(python313, built, env)
    device = Device(api_endpoint=alexa_api.url)
    assert Conversation(handler, device=device).intent("LegCrampIntent").text.startswith(
        "Straighten your leg")
    # By day, when a launch reads what is remembered (and finds no boto3 to do it with).
    launch = Conversation(handler, device=device, now=lambda: DAYTIME).launch()
    assert launch.text.endswith("What would you like?")
    handler.close()


# --- the skill manifest and package --------------------------------------------------------

def manifest() -> dict:
    return json.loads((ROOT / "skill.json").read_text())["manifest"]


def model(locale: str) -> dict:
    path = ROOT / "interaction_models" / f"{locale}.json"
    return json.loads(path.read_text())["interactionModel"]["languageModel"]


def test_the_manifest_is_for_the_health_category_with_the_disclaimer():
    published = manifest()["publishingInformation"]
    assert published["category"] == "HEALTH_AND_FITNESS"
    for locale, listing in published["locales"].items():
        assert "not a substitute for professional medical advice" in listing["description"], \
            locale
        assert listing["name"] == "Leg Cramp Helper"
    assert manifest()["permissions"] == [{"name": "alexa::alerts:reminders:skill:readwrite"}]
    assert {"eventName": "SKILL_DISABLED"} in manifest()["events"]["subscriptions"]
    for urls in manifest()["privacyAndCompliance"]["locales"].values():
        assert all(url.startswith("https://") for url in urls.values())


LAUNCH = ("open", "launch", "start")
CONNECTORS = ("to", "for", "about", "if", "whether", "and")


def test_every_example_phrase_is_a_sample_utterance():
    """As certification checks it: wake word, "open"/"ask" and the invocation name, then
    (for a request) exactly one of the model's sample utterances."""
    for locale, listing in manifest()["publishingInformation"]["locales"].items():
        language = model(locale)
        invocation = normalize(language["invocationName"])
        samples = {normalize(sample) for intent in language["intents"]
                   for sample in intent.get("samples", []) if "{" not in sample}
        phrases = listing["examplePhrases"]
        assert 1 <= len(phrases) <= 3
        for index, phrase in enumerate(phrases):
            words = normalize(phrase)
            assert words.startswith("alexa "), phrase
            words = words.removeprefix("alexa ")
            if index == 0:
                assert words.split(" ", 1)[0] in LAUNCH + ("ask",), "first: open the skill"
            verb, _, rest = words.partition(" ")
            assert rest.startswith(invocation), phrase
            request = rest.removeprefix(invocation).strip()
            if verb in LAUNCH and not request:
                continue
            assert verb == "ask", phrase
            first, _, after = request.partition(" ")
            assert request in samples or (first in CONNECTORS and after in samples), phrase


def test_the_skill_package_has_the_manifest_its_endpoint_and_every_model(tmp_path):
    out = tmp_path / "skill-package"
    # This test environment's Python, taken as installed (`-o`: never reinstalled from here).
    run(["make", "--no-print-directory", "-o", ".venv/.installed", "skill-package",
         f"BIN={Path(sys.executable).parent}", f"ENDPOINT={ARN}", f"SKILL_PACKAGE={out}",
         "DRAFT=1"])
    packaged = json.loads((out / "skill.json").read_text())["manifest"]
    assert packaged["apis"]["custom"]["endpoint"] == {"uri": ARN}
    assert packaged["events"]["endpoint"] == {"uri": ARN}
    assert packaged["publishingInformation"] == manifest()["publishingInformation"]
    models = sorted(path.name for path in (ROOT / "interaction_models").glob("*.json"))
    assert sorted(path.name for path in (out / "interactionModels" / "custom").iterdir()) \
        == models
    for name in models:
        assert (out / "interactionModels" / "custom" / name).read_bytes() == \
            (ROOT / "interaction_models" / name).read_bytes()


def test_the_skill_package_takes_a_web_service_address_and_refuses_anything_else(tmp_path):
    packaged = assemble(tmp_path / "p", "https://cramps.clinic.example/alexa", draft=True)
    body = json.loads((packaged / "skill.json").read_text())["manifest"]
    # Skill events go to the same address, which needs its certificate type as much.
    for endpoint in (body["apis"]["custom"]["endpoint"], body["events"]["endpoint"]):
        assert endpoint == {"uri": "https://cramps.clinic.example/alexa",
                            "sslCertificateType": "Trusted"}
    with pytest.raises(ValueError):
        assemble(tmp_path / "q", "http://cramps.clinic.example/alexa", draft=True)


def test_the_artifact_reads_the_symptom_table_the_build_wrote_as_json(built):
    """The first cramp answer needs the body parts (their stretches): the build writes the table
    as JSON beside the TOML, so it parses with the json already imported, not tomllib."""
    import tomllib

    written = json.loads((built / "skill" / "symptoms.json").read_text(encoding="utf-8"))
    assert written == tomllib.loads((ROOT / "skill" / "symptoms.toml").read_text(encoding="utf-8"))
    assert not (ROOT / "skill" / "symptoms.json").exists(), "only the artifact has it"
