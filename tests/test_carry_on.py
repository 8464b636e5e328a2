""""Go on", "carry on", "keep going", "continue" (AMAZON.ResumeIntent's samples) inside any
walkthrough: on to the next step when not paused; back into the step after "pause"."""


def step_number(reply) -> int:
    return reply.attributes["walk"]["step"]


def test_go_on_moves_on_in_the_bedtime_stretch(talk):
    first = talk.say("walk me through a bedtime stretch")
    assert step_number(first) == 0
    reply = talk.intent("AMAZON.ResumeIntent")
    assert step_number(reply) == 1 and "right" in reply.text.lower()


def test_after_pause_go_on_resumes_the_same_step(talk):
    talk.say("walk me through a bedtime stretch")
    talk.say("next")
    talk.say("pause")
    reply = talk.intent("AMAZON.ResumeIntent")
    assert step_number(reply) == 1 and not reply.attributes["walk"]["paused"]


def test_done_in_the_bedtime_stretch_moves_on(talk):
    talk.say("walk me through a bedtime stretch")
    # "done", "finished", "i'm done": CrampEasedIntent's samples; here they mean the next step.
    assert step_number(talk.intent("CrampEasedIntent")) == 1
