"""Words the tests listen for, named once: when the skill's wording changes, change it here."""

# The first thing a person mid-cramp hears, for a calf or a cramp whose muscle is not known
# (responses/en-US/stretch/general.ssml.j2).
STRETCH = "Straighten your leg and pull your toes up toward your shin"
