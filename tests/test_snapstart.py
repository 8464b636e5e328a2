"""Getting ready before a first request, in-process: the priming a Lambda init does and the
SnapStart hooks, given the skill and the handler's way of answering (skill/snapstart.py). The
built artifact runs them under the real runtime client in tests/test_benchmarks.py."""

import random

import snapshot_restore_py

import skill.app
from skill import snapstart
from skill.speech import speech

THIS_SKILL = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"


def test_priming_answers_a_cramp_request_as_the_handler_does_without_a_log_line(monkeypatch,
                                                                                capsys):
    monkeypatch.setenv("SKILL_ID", THIS_SKILL)  # the priming request carries the skill's own id
    built = skill.app.skill()
    assert snapstart.ready_for_a_first_request(built, skill.app.answer) == "answered"
    assert capsys.readouterr().err == ""
    assert built.api_client._tls is not None  # the first Settings API call's TLS context


def test_the_hooks_prime_before_the_snapshot_and_part_the_copies_after_restore(monkeypatch,
                                                                                capsys):
    before, after = [], []
    monkeypatch.setattr(snapshot_restore_py, "_before_snapshot_registry", before)
    monkeypatch.setattr(snapshot_restore_py, "_after_restore_registry", after)
    assert snapstart.register(skill.app.skill, skill.app.answer)
    assert skill.app._SKILL is None  # registering builds nothing

    for hook, args, kwargs in before:
        hook(*args, **kwargs)
    built = skill.app._SKILL
    assert "snapstart: primed before the snapshot" in capsys.readouterr().err
    renderer = speech()  # every template a request can ask for, not only the cramp answer's
    assert built is not None
    assert set(renderer.names()) <= {name for _, name in renderer.env.cache.keys()}

    closed = []
    monkeypatch.setattr(built.api_client, "close", lambda: closed.append(True))
    random.seed(7)
    same_seed = random.random()
    random.seed(7)
    for hook, args, kwargs in after:
        hook(*args, **kwargs)
    assert closed == [True] and random.random() != same_seed
    assert "snapstart: restored" in capsys.readouterr().err
