"""A skill package checked against Amazon's own models of it: the skill manifest and interaction
models as the Skill Management API (SMAPI) defines them, from PyPI's `ask-smapi-model`.

The models' deserialiser (`ask_sdk_model_runtime`'s DefaultSerializer) is run first, for what it
refuses. It refuses little: an unknown or misspelled key becomes a stray attribute, a string
where an object belongs passes, and required fields are not checked. So the JSON is also walked
against each class's `attribute_map` and declared types, and the few requirements that matter
here are checked by hand: an HTTPS endpoint names its `sslCertificateType` (Amazon's manifest
reference requires it) and a Lambda ARN does not. The models have no `Interface` subclass for
CAN_FULFILL_INTENT_REQUEST (deserialising it raises), so that interface is checked apart.

Needs the dev extras (`ask-smapi-model`); the skill itself never imports this.
"""

from __future__ import annotations

import copy
import importlib
import json
import re
from enum import Enum
from typing import Any

MANIFEST_CLASS = "ask_smapi_model.v1.skill.manifest.skill_manifest_envelope.SkillManifestEnvelope"
MODEL_CLASS = ("ask_smapi_model.v1.skill.interaction_model.interaction_model_data."
               "InteractionModelData")
CAN_FULFILL = "CAN_FULFILL_INTENT_REQUEST"
SSL_CERTIFICATE_TYPES = ("SelfSigned", "Wildcard", "Trusted")
_LIST = re.compile(r"^list\[(.*)\]$")
_DICT = re.compile(r"^dict\(([^,]*), (.*)\)$")
_NATIVE = {"str": str, "int": int, "float": (int, float), "bool": bool, "object": object}


def _load(class_name: str) -> type:
    module, _, name = class_name.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _walk(raw: Any, declared: str, path: str, problems: list[str]) -> None:
    """Every key of `raw` the model does not know, and every value of the wrong kind."""
    if raw is None:
        return
    if (match := _LIST.match(declared)):
        if not isinstance(raw, list):
            problems.append(f"{path}: a list was expected")
            return
        for index, item in enumerate(raw):
            _walk(item, match.group(1).strip(), f"{path}[{index}]", problems)
        return
    if (match := _DICT.match(declared)):
        if not isinstance(raw, dict):
            problems.append(f"{path}: an object was expected")
            return
        for key, value in raw.items():
            _walk(value, match.group(2).strip(), f"{path}.{key}", problems)
        return
    if declared in _NATIVE:
        kind = _NATIVE[declared]
        if (not isinstance(raw, kind)) or (declared in ("int", "float") and isinstance(raw, bool)):
            problems.append(f"{path}: {declared} expected, not {json.dumps(raw)[:40]}")
        return
    if declared in ("datetime", "date"):
        return
    model = _load(declared)
    if issubclass(model, Enum):
        if raw not in {member.value for member in model}:
            problems.append(f"{path}: {raw!r} is not one of {sorted(m.value for m in model)}")
        return
    if not isinstance(raw, dict):
        problems.append(f"{path}: an object ({model.__name__}) was expected")
        return
    if hasattr(model, "get_real_child_model"):
        child = model.get_real_child_model(raw)
        if not child:
            problems.append(f"{path}: unknown {model.__name__} type {raw.get('type')!r}")
            return
        model = _load(child)
    names = dict(model.attribute_map)
    names.update({key: key for key in model.deserialized_types if key not in names})
    by_json_name = {json_name: attribute for attribute, json_name in names.items()}
    for key, value in raw.items():
        if key not in by_json_name:
            problems.append(f"{path}.{key}: not a field of {model.__name__} "
                            f"(known: {', '.join(sorted(by_json_name))})")
            continue
        _walk(value, model.deserialized_types[by_json_name[key]], f"{path}.{key}", problems)


def _deserialise(raw: dict, class_name: str, problems: list[str]) -> None:
    from ask_sdk_model_runtime.serializer import DefaultSerializer

    try:
        DefaultSerializer().deserialize(json.dumps(raw), _load(class_name))
    except Exception as error:  # SerializationException, with the model's own words
        problems.append(f"SMAPI's deserialiser refused it: {error}")


def _endpoints(manifest: dict) -> list[tuple[str, Any]]:
    found = []
    for api, body in (manifest.get("apis") or {}).items():
        if isinstance(body, dict):
            found.append((f"manifest.apis.{api}.endpoint", body.get("endpoint")))
            for region, settings in (body.get("regions") or {}).items():
                found.append((f"manifest.apis.{api}.regions.{region}.endpoint",
                              (settings or {}).get("endpoint")))
    if isinstance(manifest.get("events"), dict):
        events = manifest["events"]
        found.append(("manifest.events.endpoint", events.get("endpoint")))
        for region, settings in (events.get("regions") or {}).items():
            found.append((f"manifest.events.regions.{region}.endpoint",
                          (settings or {}).get("endpoint")))
    return [(path, endpoint) for path, endpoint in found if endpoint is not None]


def manifest_problems(envelope: dict) -> list[str]:
    """What Amazon's SMAPI models (and its manifest reference, where they are silent) find
    wrong with a skill.json; [] when nothing."""
    problems: list[str] = []
    envelope = copy.deepcopy(envelope)
    manifest = envelope.get("manifest") if isinstance(envelope, dict) else None
    if not isinstance(manifest, dict):
        return ["manifest: missing"]
    custom = (manifest.get("apis") or {}).get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("interfaces"), list):
        kept = []
        for index, interface in enumerate(custom["interfaces"]):
            if isinstance(interface, dict) and interface.get("type") == CAN_FULFILL:
                if set(interface) != {"type"}:
                    problems.append(f"manifest.apis.custom.interfaces[{index}]: {CAN_FULFILL} "
                                    "takes no fields but its type")
            else:
                kept.append(interface)
        custom["interfaces"] = kept
    for path, endpoint in _endpoints(manifest):
        if not isinstance(endpoint, dict) or not isinstance(endpoint.get("uri"), str):
            problems.append(f"{path}: needs a uri")
            continue
        certificate = endpoint.get("sslCertificateType")
        if endpoint["uri"].startswith("https://"):
            if certificate not in SSL_CERTIFICATE_TYPES:
                problems.append(f"{path}: an HTTPS endpoint needs sslCertificateType, one of "
                                f"{', '.join(SSL_CERTIFICATE_TYPES)} (found {certificate!r})")
        elif certificate is not None:
            problems.append(f"{path}: sslCertificateType is for HTTPS endpoints only")
    if manifest.get("manifestVersion") != "1.0":
        problems.append("manifest.manifestVersion: must be \"1.0\"")
    _deserialise(envelope, MANIFEST_CLASS, problems)
    _walk(envelope, MANIFEST_CLASS, "$", problems)
    return problems


def interaction_model_problems(model: dict) -> list[str]:
    """What Amazon's SMAPI models find wrong with an interaction model file; [] when nothing."""
    problems: list[str] = []
    _deserialise(model, MODEL_CLASS, problems)
    _walk(model, MODEL_CLASS, "$", problems)
    language = ((model.get("interactionModel") or {}).get("languageModel") or {}) \
        if isinstance(model, dict) else {}
    if not language.get("invocationName") or not language.get("intents"):
        problems.append("$.interactionModel.languageModel: needs an invocationName and intents")
    return problems


INPUTS_CLASS = "ask_smapi_model.v1.skill.nlu.evaluations.inputs.Inputs"
EXPECTED_CLASS = "ask_smapi_model.v1.skill.nlu.evaluations.expected.Expected"


def annotation_set_problems(body: dict) -> list[str]:
    """What Amazon's SMAPI models of an NLU evaluation's inputs and expectations find wrong with
    an annotation set's body (`{"data": [{"inputs": ..., "expected": [...]}]}`); [] when
    nothing."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list) or not data or set(body) != {"data"}:
        return ['$: must be {"data": [annotations]}']
    problems: list[str] = []
    for index, item in enumerate(data):
        path = f"$.data[{index}]"
        if not isinstance(item, dict) or set(item) != {"inputs", "expected"}:
            problems.append(f"{path}: an annotation has inputs and expected")
            continue
        _deserialise(item["inputs"], INPUTS_CLASS, problems)
        _walk(item["inputs"], INPUTS_CLASS, f"{path}.inputs", problems)
        _walk(item["expected"], f"list[{EXPECTED_CLASS}]", f"{path}.expected", problems)
    return problems
