"""The yardstick: the smallest ask-sdk-core skill there is, written out by the benchmark itself.

It answers every request with "Hello world!" through the same SDK entry point a real skill uses,
so whatever our skill costs beyond it is the cost of being this skill.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from types import ModuleType

SOURCE = '''\
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type


class SessionEnded(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.response


class HelloWorld(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        return (handler_input.response_builder.speak("Hello world!")
                .ask("Say hello again.").response)


sb = SkillBuilder()
sb.add_request_handler(SessionEnded())
sb.add_request_handler(HelloWorld())
handler = sb.lambda_handler()
'''

MODULE = "hello_world_skill"


def write(folder: Path | None = None) -> Path:
    """Write the hello-world skill as `hello_world_skill.py`; return its folder."""
    folder = Path(folder or tempfile.mkdtemp(prefix="hello-world-skill-"))
    (folder / f"{MODULE}.py").write_text(SOURCE, encoding="utf-8")
    return folder


def load(folder: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(MODULE, folder / f"{MODULE}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
