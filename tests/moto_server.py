"""The DynamoDB stand-in lives in localdev/ (the benchmarks use it too, and never import tests)."""

from localdev.moto_server import (CREDENTIALS, MOTO_SERVER, ROOT, MotoServer,  # noqa: F401
                                  free_port, table_definition, template)
