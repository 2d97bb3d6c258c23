"""No input produces a 5xx, and every answer is what the OpenAPI document says: schemathesis over /schema.

Run as every role on the demo district, with a fixed seed and a fixed example budget per operation so
the run is reproducible and short. Every registered check is on (server errors; status code,
content type, header, schema and Allow conformance; negative data rejection; missing required
header; ignored auth; unsupported methods; use after free; resource availability) except two:
`positive_data_acceptance` (domain rules rightly refuse some schema-valid bodies: a loss in the
future, a village outside the caller's scope) and `object_level_authorization` (test_roles covers
who may reach what). `max_response_time` is not a check without a threshold; the benches measure
latency. The stateful phase runs on the links schemathesis infers from the answers (the document
declares none), a few steps per role, which is where use_after_free and ensure_resource_availability
look; the one DELETE (a person) gives use_after_free little to bite on today."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events
from schemathesis.engine.recorder import ScenarioRecorder
from schemathesis.python import asgi

from core.auth import Role
from tests.integration.api.access import ACCESS
from tests.integration.api.conftest import DemoWorld

SEED = 20261202
EXAMPLES_PER_OPERATION = 1
STATEFUL_STEPS = 5
# Methods no operation of a path takes, sent to every path (405 with the right Allow, not a crash).
UNEXPECTED_METHODS = ("PUT", "TRACE")
# Who runs each operation's coverage phase: admin reaches most; the others what only they may call.
DEPTH = (
    Role.ADMIN,
    Role.CLAIMS_OFFICER,
    Role.FINANCE,
    Role.LIAISON,
    Role.ADJUSTER,
    Role.RESIDENT,
    Role.AUDITOR,
)
SKIPPED_CHECKS = ("positive_data_acceptance", "object_level_authorization")


@dataclass
class RunReport:
    requests: int = 0
    failures: list[str] = field(default_factory=list)


def deep_role(roles: frozenset[Role]) -> Role:
    """The one role an operation's coverage phase runs as: the first of DEPTH that may call it."""
    return next(role for role in DEPTH if role in roles or not roles)


def config_for(world: DemoWorld, role: Role) -> SchemathesisConfig:
    """The budget: each operation's coverage phase (boundary and negative values of every parameter,
    methods it does not take) runs once, as one role that may call it; as every other role it gets
    fuzzed examples and the stateful phase (a refused role is answered before any input is read)."""
    shallow = [f"{method} {path}" for (method, path), roles in ACCESS.items() if deep_role(roles) != role]
    only_fuzzed = [{"include-name": shallow, "phases": {"coverage": {"enabled": False}}}]
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "headers": world.headers(role),
            "generation": {"max-examples": EXAMPLES_PER_OPERATION, "deterministic": True, "database": "none"},
            "checks": {name: {"enabled": False} for name in SKIPPED_CHECKS},
            "phases": {
                "coverage": {"unexpected-methods": list(UNEXPECTED_METHODS)},
                "stateful": {"max-steps": STATEFUL_STEPS},
            },
            "operations": only_fuzzed if shallow else [],
            "continue-on-failure": True,
            "workers": 1,
        }
    )


def failures(recorder: ScenarioRecorder) -> list[str]:
    """One line per failed check: the operation, the check, what was sent and what came back."""
    found = []
    for case_id, checks in recorder.checks.items():
        interaction = recorder.interactions.get(case_id)
        request = interaction.request if interaction else None
        response = interaction.response if interaction else None
        sent = f"{request.method} {request.uri} {request.body!r:.200}" if request else ""
        answer = f"{response.status_code} {response.headers.get('content-type')}" if response else ""
        for check in checks:
            if check.status == Status.FAILURE and check.failure_info:
                failure = check.failure_info.failure
                found.append(f"{recorder.label}: {check.name}: {failure.title} [{sent} -> {answer}]")
    return found


def run(world: DemoWorld, role: Role) -> RunReport:
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", world.app, config=config_for(world, role))
    report = RunReport()
    try:
        for event in schemathesis.engine.from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                report.requests += len(event.recorder.interactions)
                report.failures += failures(event.recorder)
            elif isinstance(event, events.NonFatalError | events.FatalError):
                report.failures.append(f"engine error: {event}")
    finally:
        asgi.shutdown_lifespans()
    return report


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_no_input_breaks_the_contract(demo_world: DemoWorld, role: Role) -> None:
    report = run(demo_world, role)
    print(f"schemathesis as {role.value}: {report.requests} requests, {len(report.failures)} failures")
    assert report.requests >= len(ACCESS)
    assert sorted(set(report.failures)) == [], "\n".join(sorted(set(report.failures)))
