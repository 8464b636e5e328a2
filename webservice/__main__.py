"""`python -m webservice` (`make serve`): the skill as a web service on the development server,
http://127.0.0.1:8080/ by default (--host, --port). With Alexa's request verification on it needs
SKILL_ID; LOCAL_DEV_SKIP_VERIFICATION=1 turns verification off, for loopback clients only."""

from webservice.server import main

main()
