"""A real DynamoDB-compatible HTTP server for the tests and the benchmarks: moto in server mode,
on loopback.

The table is created from template.yaml's own definition, so the tests run against the table
that is deployed. `freeze()` stops the server process (SIGSTOP): connections are still accepted
by the kernel but nothing answers, as when DynamoDB is slow; `thaw()` lets it go on with every
item it held. `stop()` ends it: connections are refused, as when DynamoDB is down.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MOTO_SERVER = Path(sys.executable).parent / "moto_server"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
    # Never a developer's own profile, config or instance credentials.
    "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _CloudFormationLoader(yaml.SafeLoader):
    """Reads a CloudFormation template: short-form tags (!Ref, !GetAtt) as plain values."""


_CloudFormationLoader.add_multi_constructor(
    "!", lambda loader, suffix, node: loader.construct_scalar(node)
    if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    if isinstance(node, yaml.SequenceNode) else loader.construct_mapping(node))


def template() -> dict:
    return yaml.load((ROOT / "template.yaml").read_text(encoding="utf-8"),
                     Loader=_CloudFormationLoader)


def table_definition() -> dict:
    """The deployed table's key schema and billing, from template.yaml."""
    properties = template()["Resources"]["MemoryTable"]["Properties"]
    return {name: properties[name]
            for name in ("AttributeDefinitions", "KeySchema", "BillingMode")}


class MotoServer:
    def __init__(self, recording: Path | None = None):
        """`recording`: a file where moto writes one line per request it gets (the benchmarks
        count DynamoDB calls so)."""
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        if recording is not None:
            env.update(MOTO_ENABLE_RECORDING="true", MOTO_RECORDER_FILEPATH=str(recording))
        self.process = subprocess.Popen(
            [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.05)

    def client(self):
        import boto3

        return boto3.client("dynamodb", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def create_table(self, name: str) -> str:
        self.client().create_table(TableName=name, **table_definition())
        return name

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.thaw()
            self.process.terminate()
            self.process.wait(timeout=10)
