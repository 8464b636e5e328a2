"""Plain data for every response key, hostile text included wherever a template shows text.

The template tests render every key with each of these, by day and by night, in every locale
(tests/test_speech.py); the spoken-length benchmark times each key with its first plain sample
(benchmarks/spoken.py).
"""

from skill.conversation import doctor
from skill.reminder_times import PARTS
from skill.routines import STRETCHES

HOSTILE = '<b>& "quoted" \'single\' </speak>'

# Plain data for every response key, including hostile text wherever a template shows text.
STEP = dict(routine="bedtime", step_key="calf_stretch", side="left", muscle="general",
            hold_seconds=10, rest_seconds=10, repetitions=3, settle_seconds=8, number=1, total=4,
            last=False, starting=True, offer="", done=0)
RELIEF_STEP = dict(STEP, routine="relief", step_key="relief_stretch", side="", hold_seconds=30,
                   rest_seconds=0, repetitions=1, settle_seconds=0, total=3)
# Every stretch group; a muscle is never a slot's words (only a resolved id picks a group), and
# a group without words is an error (tests/test_speech.py: a name without words raises).
MUSCLES = list(STRETCHES)
QUESTIONS = [check.name for check in doctor.checks()]
RED_FLAGS = sorted(doctor.red_flags())
CAUTIOUS = ("", "unsure")
PLACES = ("", "relief", "bedtime", "check", "cramp")
# A part of the day said for a reminder, or none ("").
PARTS_SAID = ("", *PARTS)
# The templates a level shares between signs, each naming the sign said.
LEVEL_WORDS = ("emergency", "urgent", "soon")


def _symptom_samples() -> dict[str, list[dict]]:
    """Every symptom answer's template with the data the handler gives it: each sign at each
    level it can have (its own, in a cramp, both legs, said of another body part, unresolved), in
    each place, with the way on that place and level lead to (and its question, if it has one)."""
    from skill.conversation.symptoms import Heard, template, way_on
    from skill.symptom_table import EMERGENCY, UNCLEAR, URGENT, level_of, parts, symptoms

    samples: dict[str, list[dict]] = {}
    part_kinds = [None, *{(p.leg, p.both, p.chest): p for p in parts().values()}.values()]
    heard = {(Heard(UNCLEAR, None), False)}
    for sign in symptoms().values():
        for part in part_kinds:
            for in_cramp in (False, True):
                heard.add((Heard(*level_of(sign, part, in_cramp)), part is not None and part.both))
    seen: set[tuple] = set()
    for found, both in sorted(heard, key=repr):
        for place in PLACES:
            thens = [""] if found.level in (EMERGENCY, URGENT) else sorted({
                way_on(place, found.level, clinic_known=known)[0] for known in (False, True)}
                | ({found.sign.ask} if found.sign is not None and found.sign.ask else set()))
            for then in thens:
                # The level's shared words name the sign; any other template, one sign will do.
                key = (template(found), found.level, place, then, both,
                       found.sign.id if found.sign and template(found) in LEVEL_WORDS else "")
                if key in seen:
                    continue
                seen.add(key)
                samples.setdefault(f"symptom/{template(found)}", []).append({
                    "level": found.level, "sign": found.sign.id if found.sign else "",
                    "where": place, "then": then, "muscle": "calf", "both": both,
                    "cautious": "", "asking": QUESTIONS[2] if then == "check" else "",
                    "clinic": HOSTILE if then == "clinic" else ""})
    for level in (EMERGENCY, URGENT):
        samples[f"symptom/{level}"] += [
            {"level": level, "sign": "", "where": "check", "then": "", "muscle": "general",
             "both": False, "cautious": cautious, "asking": "", "clinic": ""}
            for cautious in CAUTIOUS]
    return samples

SAMPLES = {
    "launch": [{"welcome": w} for w in ("returning", "again", "first", "fresh",
                                          "declined_first", "declined_returning")],
    "launch_reprompt": [{}],
    "launch_night": [{"muscle": "general"}], "launch_night_reprompt": [{}],
    "welcome/resume": [{"number": 3, "total": 4, "welcome": w}
                       for w in ("first", "returning", "declined_first", "declined_returning")],
    "welcome/resume_reprompt": [{"number": 3}],
    "welcome/resume_bedtime": [{"number": 2, "total": 4}],
    "relief/answer": [{"muscle": m} for m in MUSCLES],
    "relief/answer_reprompt": [{"muscle": m} for m in MUSCLES],
    "relief/decline": [{}], "relief/more": [{}],
    "prevent": [{}], "prevent_reprompt": [{}], "causes": [{}], "causes_reprompt": [{}],
    "doctor/start": [{"asking": q} for q in QUESTIONS],
    "doctor/next": [{"asking": q} for q in QUESTIONS],
    "doctor/reprompt": [{"asking": q} for q in QUESTIONS],
    "doctor/first": [{"asking": QUESTIONS[0], "cautious": c} for c in (False, True)],
    "doctor/offer_reprompt": [{}], "doctor/declined": [{}],
    "doctor/unclear": [{"asking": q} for q in RED_FLAGS],
    **{f"doctor/unclear/{question}": [{}] for question in RED_FLAGS},
    **_symptom_samples(),
    "symptom/questions/sudden": [{}], "symptom/questions/ten_minutes": [{}],
    "symptom/questions/sudden_reprompt": [{}], "symptom/questions/ten_minutes_reprompt": [{}],
    "symptom/questions/unclear_sudden": [{}],
    "symptom/questions/unclear_ten_minutes": [{"muscle": m} for m in MUSCLES],
    "call_for_help": [{}], "relief/not_a_leg": [{}],
    "causes_of/pregnancy": [{}], "causes_of/medicine": [{}], "causes_of/age": [{}],
    "causes_of/exercise": [{}], "causes_of/dehydration": [{}], "taking_something": [{}],
    "relief/eased": [{"back": b} for b in (False, True)],
    "doctor/book": [{"medicine": m, "clinic": c, "cautious": u} for m in (True, False)
                    for c in ("", HOSTILE) for u in CAUTIOUS],
    "doctor/home": [{}],
    "help/top": [{}], "help/cramp": [{"muscle": m} for m in MUSCLES],
    "help/triage": [{"asking": q} for q in QUESTIONS + [""]],
    "help/walkthrough": [STEP, RELIEF_STEP], "help/walkthrough_reprompt": [{}],
    "fallback/top": [{}], "fallback/triage": [{"asking": q} for q in QUESTIONS],
    "fallback/walkthrough": [STEP, RELIEF_STEP], "fallback/offer": [{}], "fallback/offer_triage": [{}],
    "fallback/cramp": [{"muscle": m, "walking": w, "cramp": c} for m in MUSCLES
                       for w, c in ((True, True), (False, True), (False, False))],
    "no_question": [{"answer": "yes"}, {"answer": HOSTILE}],
    "not_in_walkthrough": [{}],
    "goodbye": [{"topic": t} for t in ("", "cramp", "relief", "doctor", "symptom", "bedtime",
                                       HOSTILE)],
    "declined": [{}],
    "error": [{"cramp": c, "closing": e} for c in (True, False) for e in (True, False)], "error_reprompt": [{}],
    "reminder/ask_time": [{"part": p} for p in PARTS_SAID],
    "reminder/ask_time_reprompt": [{"part": p} for p in PARTS_SAID],
    "reminder/ask_again": [{"hour": h, "minute": m, "part": ""} for h, m in ((9, 0), (15, 30))],
    "reminder/not_a_time": [{"part": p} for p in ("", "MORNING")],
    "reminder/permission": [{}], "reminder/consent_card": [{}], "reminder/not_permitted": [{}],
    "reminder/failed": [{"still": False, "hour": 0, "minute": 0},
                        {"still": True, "hour": 21, "minute": 30}],
    "reminder/declined": [{}], "reminder/offer_reprompt": [{}], "reminder/unsure": [{}],
    "reminder/set": [{"hour": h, "minute": m, "replaced": r, "left_over": n}
                     for h, m in ((21, 0), (9, 30), (0, 5), (12, 0), (18, 45), (4, 0))
                     for r in (False, True) for n in (0, 1, 2)],
    "reminder/confirm_time": [{"hour": h, "minute": m, "early": h < 6}
                              for h, m in ((21, 0), (22, 30), (18, 5), (3, 0), (0, 15))],
    "reminder/confirm_time_reprompt": [{"hour": 21, "minute": 0}, {"hour": 3, "minute": 30}],
    "reminder/confirm_time_again": [{"hour": h, "minute": m, "early": h < 6}
                                    for h, m in ((21, 0), (3, 30))],
    "reminder/help": [{"part": ""}],
    "reminder/help_confirm": [{"hour": h, "minute": 0, "early": h < 6} for h in (21, 3)],
    "reminder/consent_card_other": [{}], "reminder/none": [{}],
    "reminder/cancelled": [{"count": n, "unchecked": u} for n in (1, 3) for u in (False, True)],
    "reminder/cancel_failed": [{"cancelled": c, "left": n} for c, n in ((0, 1), (2, 1), (1, 2))],
    "reminder/status_failed": [{}],
    "reminder/status": [{"known": True, "hour": 21, "minute": 30},
                        {"known": False, "hour": 0, "minute": 0}],
    "clinic/offer_reprompt": [{}],
    "clinic/details": [{"clinic": c, "phone": p, "booking": b, "then": t,
                        "asking": QUESTIONS[0] if t == "check" else ""}
                       for c, p, b in (("Leg Clinic", "+1 555 0100", True), (HOSTILE, HOSTILE, False),
                                       ("Leg Clinic", "", True))
                       for t in ("", "carry_on", "check")],
    "clinic/none": [{"then": t, "asking": QUESTIONS[0] if t == "check" else ""}
                    for t in ("", "carry_on", "check")],
    "clinic/sent": [{"clinic": c, "phone": p} for c, p in (("Leg Clinic", "+1 555 0100"),
                                                            (HOSTILE, HOSTILE), ("Leg Clinic", ""))],
    "walkthrough/step": [
        dict(STEP, step_key=key, side=side, last=last, starting=starting)
        for key in ("calf_stretch", "hamstring_stretch") for side in ("left", "right", HOSTILE)
        for last in (False, True) for starting in (False, True)
    ] + [dict(STEP, step_key="hamstring_stretch", side="right", last=True, offer="offer_reminder")]
    + [dict(STEP, done=done, repetitions=3 - done, starting=False) for done in (1, 2)]
    + [dict(RELIEF_STEP, step_key=key, hold_seconds=hold, muscle=muscle, last=last)
       for key, hold, last in (("relief_stretch", 30, False), ("relief_massage", 20, False),
                               ("relief_ease", 0, True)) for muscle in MUSCLES]
    + [dict(RELIEF_STEP, step_key="relief_ease", hold_seconds=0, last=True,
            offer="back_to_routine")],
    "walkthrough/step_reprompt": [{}],
    "walkthrough/back_reprompt": [{}],
    "walkthrough/not_back": [{"number": 2, "total": 4}, {"number": 0, "total": 0}],
    "walkthrough/paused": [STEP, RELIEF_STEP], "walkthrough/paused_reprompt": [{}],
    "walkthrough/first_step": [STEP, RELIEF_STEP], "walkthrough/declined": [{}],
    "walkthrough/resumed": [dict(STEP, number=3, side="left", step_key="hamstring_stretch")],
    "steps/calf_stretch": [{"side": "left", "settle_seconds": 8}, {"side": HOSTILE, "settle_seconds": 0}],
    "steps/hamstring_stretch": [{"side": "right", "settle_seconds": 4}],
    "steps/relief_stretch": [{"muscle": m} for m in MUSCLES],
    "steps/relief_massage": [{}], "steps/relief_ease": [{}],
    **{f"stretch/{muscle}": [{}] for muscle in STRETCHES},
    **{f"doctor/questions/{question}": [{}] for question in QUESTIONS},
}
MOST_VARIANTS = 4

BEDTIME_STEPS = [{"key": k, "side": side, "hold_seconds": 10, "rest_seconds": 10, "repetitions": 3}
                 for k in ("calf_stretch", "hamstring_stretch") for side in ("left", "right")]
SCREEN_STEP = {**STEP, "muscle": "general"}
# Plain-text templates (screens, cards, reminders): every one with sample data.
TEXT_SAMPLES = {
    "screen/step": [dict(SCREEN_STEP, step_key=key, repetitions=reps)
                    for key in ("calf_stretch", "hamstring_stretch", "relief_stretch",
                                "relief_massage", "relief_ease") for reps in (1, 3)]
    + [dict(RELIEF_STEP, muscle=m) for m in MUSCLES],
    "screen/cramp": [{"muscle": m} for m in MUSCLES],
    "cards/prevent": [{}],
    "reminder/text": [{}],
    "cards/doctor": [{}],
    "cards/bedtime": [{"steps": BEDTIME_STEPS}],
    "cards/clinic": [{"name": "Leg Clinic", "phone": p, "booking_url": u}
                     for p, u in (("+1 555 0100", "https://example.org/book"), ("", HOSTILE),
                                  (HOSTILE, ""))],
}
# The fields each kind of text template must give.
TEXT_FIELDS = {"screen/step": {"title", "instruction", "progress", "hold", "rest"},
               "screen/cramp": {"title", "instruction"}, "reminder/text": {"text"}}
