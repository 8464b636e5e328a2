"""`make models`: the five interaction models, generated from one human-edited source.

    models/skill.yaml          the invocation name, the intents (in order) and their slots, the
                               question asked for a slot (the dialog model), the slot types, the
                               locales and the overlays each one uses
    models/macros.yaml         named pieces of phrasing several intents share, or that a locale
                               says differently: <a_cramp>, <someone>, ...
    models/intents/*.yaml      each intent's sample patterns, in the grammar of localdev.grammar,
                               and macros of its own
    models/overlays/*.yaml     what a group of locales says differently: macros redefined
                               (`macros:`) or given more choices (`also:`), samples added
    skill/symptoms.toml        the SYMPTOM and MUSCLE slot types (the symptom table's signs and body
                               parts, shared with the skill)

are expanded into `interaction_models/<locale>.json`, in the JSON the Alexa developer console and
`ask smapi set-interaction-model` take. The same source gives the same bytes: samples are sorted,
everything else keeps the source's order. docs/models.md describes the grammar and the rules.

    python -m localdev.interaction_models           # write the models, print counts per intent
    python -m localdev.interaction_models --check   # exit 1 if the committed models have drifted

Besides expanding, the build enforces what Alexa would refuse (ALEXA_LIMITS) and what would make
an intent ambiguous: a sample in two intents, or a plain sample that is also a slotted sample of
another intent, fails the build. A plain sample that is a slotted sample of its own intent ("my
calf is cramping" beside "my {Muscle} is cramping") is dropped, so that the slot is heard.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from localdev.grammar import Grammar, GrammarError

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "models"
OUTPUT = ROOT / "interaction_models"
# A slot type given as this path and a kind of row ("skill/symptoms.toml symptom", "... part") is
# the symptom table's words for its signs or its body parts (skill/symptom_table.py).
SYMPTOM_TABLE = "skill/symptoms.toml"

# Amazon's limits for a custom interaction model (docs/models.md gives the page).
ALEXA_LIMITS = {
    "model_bytes": 1_500_000,        # the whole model, as JSON
    "intents": 250,
    "intents_and_slot_types": 350,
    "slot_value_chars": 140,         # a value or a synonym
    "sample_chars": 200,             # a sample utterance
}
# Our own ceilings, far above what the source needs today: past them a pattern has exploded.
BUDGET = {"samples_per_intent": 6000, "samples_per_model": 16000}

SLOT_RE = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")
SAMPLE_RE = re.compile(r"[a-z'.]+( [a-z'.]+)*")


class ModelError(ValueError):
    """The source cannot give a model Alexa would accept, or it gives an ambiguous one."""


@dataclass
class Report:
    """What one locale's model holds: samples per intent, bytes, plain samples dropped."""

    locale: str
    samples: dict[str, int] = field(default_factory=dict)
    dropped: list[tuple[str, str]] = field(default_factory=list)
    bytes: int = 0

    @property
    def total(self) -> int:
        return sum(self.samples.values())


class _PatternLoader(yaml.SafeLoader):
    """YAML for files of patterns: a pattern that starts with [ or { would be read as a YAML list
    or mapping (and "[a|b]" silently become "(a|b)"), so those are refused with the line."""


def _no_flow(loader: yaml.SafeLoader, node: yaml.Node):
    if node.flow_style:
        line = node.start_mark.buffer.splitlines()[node.start_mark.line].strip()
        raise ModelError(f"line {node.start_mark.line + 1}: {line!r} is read as a YAML list or "
                         "mapping: put a pattern that starts with [ or { in quotes, or in a block "
                         "(`name: |`)")
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_PatternLoader.add_constructor("tag:yaml.org,2002:seq", _no_flow)
_PatternLoader.add_constructor("tag:yaml.org,2002:map", _no_flow)


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _load(path: Path, patterns: bool = True) -> dict:
    """A YAML file of the source; with `patterns`, one whose strings are patterns."""
    try:
        loader = _PatternLoader if patterns else yaml.SafeLoader
        data = yaml.load(path.read_text(encoding="utf-8"), loader)
    except ModelError as error:
        raise ModelError(f"{_shown(path)}: {error}") from None
    except yaml.YAMLError as error:
        raise ModelError(f"{_shown(path)}: {error}\n(a pattern that starts with [ or {{ "
                         "must be in quotes, or in a block: `name: |`)") from None
    return data or {}


def patterns(value: str | list[str] | None) -> list[str]:
    """The patterns of a `samples` entry: a block of lines, one pattern a line (a pattern runs on
    over the next lines while a bracket is open, or while they are indented deeper than it;
    blank lines and lines starting with # are left out), or a list."""
    if value is None:
        return []
    if not isinstance(value, str):
        return list(value)
    found, pending, margin = [], "", None
    for raw in value.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip())
        margin = indent if margin is None else min(margin, indent)
        balanced = sum(pending.count(c) for c in "([") <= sum(pending.count(c) for c in ")]")
        if pending and balanced and indent <= margin:
            found.append(pending)
            pending = ""
        pending = f"{pending} {line}".strip()
    if pending:
        found.append(pending)  # unbalanced: the grammar says where
    return found


@dataclass
class Source:
    skill: dict
    macros: dict
    intents: dict[str, dict]   # intent name -> {"samples": [...], "slot_samples": {...}}
    overlays: dict[str, dict]

    @classmethod
    def read(cls, root: Path = SOURCE) -> "Source":
        intents = {path.stem: _load(path) for path in sorted((root / "intents").glob("*.yaml"))}
        overlays = {path.stem: _load(path) for path in sorted((root / "overlays").glob("*.yaml"))}
        return cls(_load(root / "skill.yaml", patterns=False), _load(root / "macros.yaml"),
                   intents, overlays)

    @property
    def locales(self) -> list[str]:
        return list(self.skill["locales"])


def _options(macro: str | list[str]) -> list[str]:
    return list(macro) if isinstance(macro, list) else [macro]


def _slot_spec(spec) -> tuple[str, str | None]:
    """(type, elicitation prompt or None) from `Muscle: MUSCLE` or `{type: ..., ask: ...}`."""
    if isinstance(spec, str):
        return spec, None
    return spec["type"], spec.get("ask")


def _table_values(kind: str, locale: str) -> list[dict]:
    """A slot type from the symptom table's rows: its signs (`symptom`) or body parts (`part`)."""
    from skill.symptom_table import parts, symptoms

    rows = {"symptom": symptoms, "part": parts}[kind]()
    return [{"id": row.id, "name": {"value": words[0], "synonyms": list(words[1:])}}
            for row in rows.values() for words in [row.words_in(locale)]]


def _types(source: Source, locale: str) -> list[dict]:
    types = []
    for name, values in source.skill["types"].items():
        table, _, kind = str(values).partition(" ")
        if table == SYMPTOM_TABLE and kind in ("symptom", "part"):
            types.append({"name": name, "values": _table_values(kind, locale)})
            continue
        if not isinstance(values, dict):
            raise ModelError(f"models/skill.yaml: slot type {name} needs its values (id: [words])"
                             f" or {SYMPTOM_TABLE!r} and the rows' kind (symptom or part)")
        types.append({"name": name, "values": [
            {"id": value_id, "name": {"value": words[0], "synonyms": list(words[1:])}}
            for value_id, words in values.items()]})
    return types


def _expand_intent(grammar: Grammar, name: str, patterns: list[str], where: str) -> list[str]:
    samples: dict[str, None] = {}
    for pattern in patterns:
        try:
            samples.update(dict.fromkeys(grammar.expand(pattern)))
        except GrammarError as error:
            raise ModelError(f"{where}, {name}: {error}") from None
    return list(samples)


def _check_samples(name: str, samples: list[str], slots: dict[str, str],
                   elicited: str | None = None) -> None:
    """An intent's samples, or (`elicited`) the answers to a slot's question, which fill that
    slot and may fill others of the intent ("at nine in the {PartOfDay}")."""
    for sample in samples:
        undeclared = [s for s in SLOT_RE.findall(sample) if s not in slots]
        if undeclared:
            raise ModelError(f"{name}: {sample!r} uses {{{undeclared[0]}}}, which {name} does not "
                             "declare (models/skill.yaml)")
        if elicited is not None and elicited not in SLOT_RE.findall(sample):
            raise ModelError(f"{name}: {sample!r} is an answer for {{{elicited}}} without it")
        if len(sample) > ALEXA_LIMITS["sample_chars"]:
            raise ModelError(f"{name}: {sample!r} is longer than "
                             f"{ALEXA_LIMITS['sample_chars']} characters")
        if not SAMPLE_RE.fullmatch(SLOT_RE.sub("slot", sample)):
            raise ModelError(f"{name}: {sample!r} has characters Alexa refuses")


def _key(text: str) -> str:
    """What a sample is to a matcher: "i've" and "ive" are the same words."""
    return " ".join(text.replace("'", "").split())


def _resolve_plain_samples(samples: dict[str, list[str]], intents: dict[str, dict],
                           types: dict[str, dict], report: Report) -> None:
    """Drop a plain sample that is a one-slot sample of its own intent with a value filled in;
    fail on one that is a slotted sample of another intent (Alexa could send either)."""
    words_of = {name: {_key(w) for v in t["values"]
                       for w in [v["name"]["value"], *v["name"]["synonyms"]]}
                for name, t in types.items()}
    # (words before the slot, words after it) -> [(intent, slot type)]
    frames: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for name, intent_samples in samples.items():
        for sample in intent_samples:
            found = SLOT_RE.findall(sample)
            if len(found) == 1 and intents[name][found[0]] in types:
                before, after = (_key(part) for part in SLOT_RE.split(sample)[::2])
                frames[(before, after)].append((name, intents[name][found[0]]))
    befores, afters = {b for b, _ in frames}, {a for _, a in frames}
    conflicts = []
    for name in samples:
        kept = []
        for sample in samples[name]:
            owners = set()
            words = _key(sample).split() if "{" not in sample else []
            starts = [i for i in range(len(words)) if " ".join(words[:i]) in befores]
            ends = [j for j in range(1, len(words) + 1) if " ".join(words[j:]) in afters]
            for i in starts:
                for j in (j for j in ends if j > i):
                    frame = (" ".join(words[:i]), " ".join(words[j:]))
                    middle = " ".join(words[i:j])
                    owners |= {owner for owner, slot_type in frames.get(frame, ())
                               if middle in words_of[slot_type]}
            if owners - {name}:
                conflicts.append(f"{sample!r} in {name} is also a slotted sample of "
                                 f"{', '.join(sorted(owners - {name}))}")
            if name in owners:
                report.dropped.append((name, sample))
            else:
                kept.append(sample)
        samples[name] = kept
    if conflicts:
        raise ModelError(f"{report.locale}: plain samples that another intent's slot also "
                         "matches (reword them, or change the slot's values):\n  "
                         + "\n  ".join(conflicts))


def _grammar(source: Source, locale: str) -> tuple[Grammar, dict[str, list[tuple[str, str]]]]:
    """The locale's macros (shared, the intents' own, then its overlays'), and the samples its
    overlays add: intent -> [(overlay, pattern)]."""
    macros = dict(source.macros)
    for name, intent in source.intents.items():
        for macro, pattern in (intent.get("macros") or {}).items():
            if macro in macros:
                raise ModelError(f"models/intents/{name}.yaml: macro <{macro}> is defined twice")
            macros[macro] = pattern
    added: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for overlay in source.skill["locales"][locale] or []:
        if overlay not in source.overlays:
            raise ModelError(f"{locale}: no overlay models/overlays/{overlay}.yaml")
        macros.update(source.overlays[overlay].get("macros") or {})
        for name, more in (source.overlays[overlay].get("also") or {}).items():
            if name not in macros:
                raise ModelError(f"models/overlays/{overlay}.yaml: also: <{name}> is not a macro")
            macros[name] = _options(macros[name]) + _options(more)
        for name, found in (source.overlays[overlay].get("samples") or {}).items():
            added[name] += [(overlay, pattern) for pattern in patterns(found)]
    return Grammar(macros), added


def _check_unshared(samples: dict[str, list[str]], locale: str) -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for name, found in samples.items():
        for sample in dict.fromkeys(map(_key, found)):
            owners[sample].append(name)
    shared = {s: names for s, names in owners.items() if len(names) > 1}
    if shared:
        raise ModelError(f"{locale}: samples in more than one intent:\n  " + "\n  ".join(
            f"{s!r}: {', '.join(names)}" for s, names in sorted(shared.items())))


def _dialog(name: str, slot: str, slot_type: str, ask: str) -> tuple[dict, dict]:
    """The dialog model's entry for a slot the skill asks for (Dialog.ElicitSlot), and its
    prompt."""
    prompt_id = f"Elicit.Slot.{name.removesuffix('Intent')}.{slot}"
    return ({"name": name, "confirmationRequired": False, "prompts": {},
             "slots": [{"name": slot, "type": slot_type, "confirmationRequired": False,
                        "elicitationRequired": True, "prompts": {"elicitation": prompt_id}}]},
            {"id": prompt_id, "variations": [{"type": "PlainText", "value": ask}]})


def build(source: Source, locale: str) -> tuple[dict, Report]:
    """The interaction model of one locale, and what it holds."""
    if locale not in source.skill["locales"]:
        raise ModelError(f"{locale} is not a locale of models/skill.yaml")
    report = Report(locale)
    grammar, added = _grammar(source, locale)
    declared = source.skill["intents"]
    unknown = sorted((set(source.intents) | set(added)) - set(declared))
    if unknown:
        raise ModelError(f"samples for {', '.join(unknown)}, which models/skill.yaml does not "
                         "declare")
    slots = {name: {slot: _slot_spec(slot_spec)[0]
                    for slot, slot_spec in (spec or {}).get("slots", {}).items()}
             for name, spec in declared.items()}
    types = {t["name"]: t for t in _types(source, locale)}
    for name, intent_slots in slots.items():
        for slot, slot_type in intent_slots.items():
            if slot_type not in types and not slot_type.startswith("AMAZON."):
                raise ModelError(f"{name}.{slot}: no slot type {slot_type} in models/skill.yaml")

    samples: dict[str, list[str]] = {}
    for name in declared:
        found = _expand_intent(grammar, name, patterns(source.intents.get(name, {}).get("samples")),
                               f"models/intents/{name}.yaml")
        for overlay, pattern in added[name]:
            found += _expand_intent(grammar, name, [pattern], f"models/overlays/{overlay}.yaml")
        samples[name] = list(dict.fromkeys(found))
        _check_samples(name, samples[name], slots[name])
    _check_unshared(samples, locale)
    _resolve_plain_samples(samples, slots, types, report)

    intents, dialog, prompts = [], [], []
    for name, spec in declared.items():
        intent: dict = {"name": name}
        if (spec or {}).get("slots") is not None:
            answers = source.intents.get(name, {}).get("slot_samples") or {}
            intent["slots"] = []
            for slot, slot_spec in spec["slots"].items():
                slot_type, ask = _slot_spec(slot_spec)
                entry = {"name": slot, "type": slot_type}
                if slot in answers:
                    entry["samples"] = sorted(_expand_intent(
                        grammar, f"{name}.{slot}", patterns(answers[slot]),
                        f"models/intents/{name}.yaml"))
                    _check_samples(f"{name}.{slot}", entry["samples"], slots[name], slot)
                intent["slots"].append(entry)
                if ask:
                    entry_dialog, prompt = _dialog(name, slot, slot_type, ask)
                    dialog.append(entry_dialog)
                    prompts.append(prompt)
        intent["samples"] = sorted(samples[name])
        report.samples[name] = len(samples[name])
        intents.append(intent)

    model: dict = {"interactionModel": {"languageModel": {
        "invocationName": source.skill["invocation"], "intents": intents,
        "types": list(types.values())}}}
    if dialog:
        model["interactionModel"]["dialog"] = {"intents": dialog,
                                               "delegationStrategy": "SKILL_RESPONSE"}
        model["interactionModel"]["prompts"] = prompts
    report.bytes = len(render(model).encode("utf-8"))
    check_limits(model, report)
    return model, report


def check_limits(model: dict, report: Report) -> None:
    """Alexa's limits and our budgets, on a built model; ModelError naming what is over."""
    language = model["interactionModel"]["languageModel"]
    problems = []
    if report.bytes > ALEXA_LIMITS["model_bytes"]:
        problems.append(f"the model is {report.bytes} bytes (Alexa takes "
                        f"{ALEXA_LIMITS['model_bytes']})")
    if len(language["intents"]) > ALEXA_LIMITS["intents"]:
        problems.append(f"{len(language['intents'])} intents (Alexa takes "
                        f"{ALEXA_LIMITS['intents']})")
    if len(language["intents"]) + len(language["types"]) > ALEXA_LIMITS["intents_and_slot_types"]:
        problems.append("more intents and slot types than Alexa takes "
                        f"({ALEXA_LIMITS['intents_and_slot_types']})")
    for slot_type in language["types"]:
        for value in slot_type["values"]:
            for word in [value["name"]["value"], *value["name"]["synonyms"]]:
                if len(word) > ALEXA_LIMITS["slot_value_chars"]:
                    problems.append(f"{slot_type['name']} {value['id']}: {word!r} is longer than "
                                    f"{ALEXA_LIMITS['slot_value_chars']} characters")
    for name, count in report.samples.items():
        if count > BUDGET["samples_per_intent"]:
            problems.append(f"{name} expands to {count} samples (budget "
                            f"{BUDGET['samples_per_intent']}): a pattern has exploded")
    if report.total > BUDGET["samples_per_model"]:
        problems.append(f"{report.total} samples in all (budget {BUDGET['samples_per_model']})")
    if problems:
        raise ModelError(f"{report.locale}: " + "; ".join(problems))


def render(model: dict) -> str:
    """The console's format: two-space indentation, UTF-8, a final newline."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def build_all(source: Source | None = None) -> dict[str, tuple[str, Report]]:
    """Every locale's model as the text of its file, with its report."""
    source = source or Source.read()
    return {locale: (render(model), report)
            for locale in source.locales for model, report in [build(source, locale)]}


def drifted(built: dict[str, tuple[str, Report]], output: Path = OUTPUT) -> list[str]:
    """The model files that differ from what the source gives (or are missing, or extra)."""
    on_disk = {path.stem for path in output.glob("*.json")}
    stale = [locale for locale, (text, _) in built.items()
             if not (output / f"{locale}.json").is_file()
             or (output / f"{locale}.json").read_text(encoding="utf-8") != text]
    return sorted(stale + sorted(on_disk - set(built)))


def summary(reports: list[Report]) -> str:
    """Samples per intent with samples (one column per locale), totals and sizes."""
    names = [name for name in reports[0].samples if any(r.samples.get(name) for r in reports)]
    width = max(map(len, names)) + 2
    lines = [f"{'':{width}}" + "".join(f"{r.locale:>8}" for r in reports)]
    for name in names:
        lines.append(f"{name:{width}}" + "".join(f"{r.samples.get(name, 0):>8}" for r in reports))
    lines.append(f"{'samples':{width}}" + "".join(f"{r.total:>8}" for r in reports))
    lines.append(f"{'kilobytes':{width}}" + "".join(f"{r.bytes / 1000:>8.0f}" for r in reports))
    lines.append(f"{'plain dropped':{width}}" + "".join(f"{len(r.dropped):>8}" for r in reports))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if interaction_models/ differs from what models/ gives")
    args = parser.parse_args(argv)
    try:
        built = build_all()
    except ModelError as error:
        print(f"make models: {error}", file=sys.stderr)
        return 2
    print(summary([report for _, report in built.values()]))
    if args.check:
        stale = drifted(built)
        if stale:
            print(f"out of date: {', '.join(stale)} (run `make models`)", file=sys.stderr)
            return 1
        return 0
    OUTPUT.mkdir(exist_ok=True)
    for locale, (text, _) in built.items():
        path = OUTPUT / f"{locale}.json"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    for stem in sorted({p.stem for p in OUTPUT.glob("*.json")} - set(built)):
        print(f"note: {OUTPUT.name}/{stem}.json has no locale in models/skill.yaml",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
