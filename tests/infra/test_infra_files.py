"""Static checks of infra/: compose file, Dockerfiles, Helm chart, validate.sh.

Nothing here needs a Docker engine or a cluster. The compose checks parse the
YAML and assert the deployment rules the app depends on (solo pool on the GPU
worker, prefix caching on vLLM, AISLE_-only settings, ...). Each rule is a
small function returning the offenders, tested against the real file and
against a broken sample, so a rule that can no longer fail is noticed.

`docker compose config` runs only where the compose plugin is installed, and
the chart is rendered only where `helm` is on PATH or a Python with
helm-python-sdk is available (AISLE_HELM_PYTHON, or this interpreter); the
tests say why they skip otherwise.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"
COMPOSE = INFRA / "compose.yaml"
CHART = INFRA / "helm" / "aisle"
DOCKER = INFRA / "docker"

HEALTH_PATHS = ("/healthz", "/readyz")
# Services whose settings come from outside Aisle and so keep their own names.
THIRD_PARTY_IMAGES = ("postgres", "redis", "qdrant/", "vllm/", "prom/")


# --- helpers -------------------------------------------------------------------


def load_compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict) and isinstance(data.get("services"), dict)
    return data


def words(value: Any) -> list[str]:
    """A compose command/entrypoint (string or list) as a list of words."""
    if value is None:
        return []
    if isinstance(value, str):
        return shlex.split(value)
    return [str(v) for v in value]


def argv(service: dict[str, Any]) -> list[str]:
    return words(service.get("entrypoint")) + words(service.get("command"))


def is_aisle_service(service: dict[str, Any]) -> bool:
    build = service.get("build") or {}
    dockerfile = build.get("dockerfile", "") if isinstance(build, dict) else ""
    return "infra/docker/" in dockerfile or argv(service)[:1] == ["aisle"]


def env_names(service: dict[str, Any]) -> list[str]:
    env = service.get("environment") or {}
    if isinstance(env, dict):
        return [str(k) for k in env]
    return [str(item).split("=", 1)[0] for item in env]


def contains_run(args: list[str], *needle: str) -> bool:
    n = len(needle)
    return any(tuple(args[i : i + n]) == needle for i in range(len(args) - n + 1))


# --- rules: each returns the offending service names ---------------------------


def vision_workers_without_solo(compose: dict[str, Any]) -> list[str]:
    bad = []
    for name, svc in compose["services"].items():
        args = argv(svc)
        if contains_run(args, "aisle", "worker") and "vision" in _queues(args):
            if not contains_run(args, "--pool", "solo"):
                bad.append(name)
    return bad


def _queues(args: list[str]) -> list[str]:
    for i, word in enumerate(args):
        if word in ("--queues", "-Q") and i + 1 < len(args):
            return args[i + 1].split(",")
        if word.startswith("--queues="):
            return word.split("=", 1)[1].split(",")
    return []


def api_healthcheck_problems(compose: dict[str, Any]) -> list[str]:
    api = compose["services"].get("api")
    if api is None:
        return ["api: missing"]
    test = (api.get("healthcheck") or {}).get("test")
    text = " ".join(words(test))
    if not any(path in text for path in HEALTH_PATHS):
        return [f"api: healthcheck {text!r} hits neither /healthz nor /readyz"]
    return []


def vllm_without_prefix_caching(compose: dict[str, Any]) -> list[str]:
    bad = []
    for name, svc in compose["services"].items():
        image = str(svc.get("image", ""))
        if "vllm" in name or "vllm/" in image:
            if "--enable-prefix-caching" not in argv(svc):
                bad.append(name)
    return bad


def non_aisle_env(compose: dict[str, Any]) -> list[str]:
    return [
        f"{name}: {var}"
        for name, svc in compose["services"].items()
        if is_aisle_service(svc)
        for var in env_names(svc)
        if not var.startswith("AISLE_")
    ]


def services_without_gpu(compose: dict[str, Any], names: list[str]) -> list[str]:
    bad = []
    for name in names:
        devices = (
            compose["services"][name]
            .get("deploy", {})
            .get("resources", {})
            .get("reservations", {})
            .get("devices", [])
        )
        if not any("gpu" in (d.get("capabilities") or []) for d in devices):
            bad.append(name)
    return bad


# --- compose: the real file ----------------------------------------------------


EXPECTED_SERVICES = {
    "postgres",
    "redis",
    "qdrant",
    "migrate",
    "api",
    "worker-ingest",
    "worker-vision",
    "vllm",
    "prometheus",
}


def test_compose_has_every_service() -> None:
    assert EXPECTED_SERVICES <= set(load_compose()["services"])


def test_vision_worker_uses_solo_pool() -> None:
    compose = load_compose()
    assert vision_workers_without_solo(compose) == []
    # The rule must actually see the worker, not pass vacuously.
    assert contains_run(argv(compose["services"]["worker-vision"]), "--queues", "vision")


def test_api_healthcheck_hits_health_endpoint() -> None:
    assert api_healthcheck_problems(load_compose()) == []


def test_vllm_enables_prefix_caching() -> None:
    compose = load_compose()
    assert "vllm" in compose["services"]
    assert vllm_without_prefix_caching(compose) == []
    assert argv(compose["services"]["vllm"])[:2] == ["vllm", "serve"]


def test_aisle_services_only_use_aisle_env() -> None:
    compose = load_compose()
    aisle = {n for n, s in compose["services"].items() if is_aisle_service(s)}
    assert {"migrate", "api", "worker-ingest", "worker-vision"} <= aisle
    assert non_aisle_env(compose) == []
    for name in aisle:
        assert "AISLE_DATABASE_URL" in env_names(compose["services"][name]), name


def test_gpu_services_reserve_a_gpu() -> None:
    assert services_without_gpu(load_compose(), ["worker-vision", "vllm"]) == []


def test_ingest_worker_command() -> None:
    args = argv(load_compose()["services"]["worker-ingest"])
    assert contains_run(args, "aisle", "worker", "--queues", "ingest")
    assert contains_run(args, "--concurrency", "2")


def test_migrate_gates_api_and_workers() -> None:
    services = load_compose()["services"]
    assert argv(services["migrate"]) == ["aisle", "migrate"]
    for name in ("api", "worker-ingest", "worker-vision"):
        dep = services[name]["depends_on"]["migrate"]
        assert dep["condition"] == "service_completed_successfully", name


def test_depends_on_targets_exist_with_valid_conditions() -> None:
    services = load_compose()["services"]
    allowed = {"service_started", "service_healthy", "service_completed_successfully"}
    for name, svc in services.items():
        deps = svc.get("depends_on") or {}
        for target, spec in deps.items() if isinstance(deps, dict) else []:
            assert target in services, f"{name} depends on unknown {target}"
            assert spec["condition"] in allowed, f"{name} -> {target}"
            if spec["condition"] == "service_healthy":
                assert "healthcheck" in services[target], f"{target} has no healthcheck"


def test_named_volumes_are_declared() -> None:
    compose = load_compose()
    declared = set(compose.get("volumes") or {})
    for name, svc in compose["services"].items():
        for vol in svc.get("volumes") or []:
            source = vol.split(":", 1)[0] if isinstance(vol, str) else vol.get("source", "")
            if source and not source.startswith((".", "/", "$", "~")):
                assert source in declared, f"{name} uses undeclared volume {source}"


def test_api_and_workers_share_the_data_volume() -> None:
    services = load_compose()["services"]
    for name in ("api", "worker-ingest", "worker-vision"):
        assert "aisle-data:/data" in services[name]["volumes"], name
        env = services[name]["environment"]
        assert env["AISLE_DATA_DIR"] == "/data", name


def test_third_party_images_are_pinned() -> None:
    for name, svc in load_compose()["services"].items():
        image = str(svc.get("image", ""))
        if image.startswith(THIRD_PARTY_IMAGES):
            tag = image.rsplit(":", 1)[-1] if ":" in image else ""
            assert tag and tag != "latest" and re.search(r"\d", tag), f"{name}: {image}"


def test_prometheus_scrapes_api_metrics() -> None:
    config = yaml.safe_load((INFRA / "prometheus" / "prometheus.yml").read_text())
    jobs = {
        target: job.get("metrics_path", "/metrics")
        for job in config["scrape_configs"]
        for static in job.get("static_configs", [])
        for target in static["targets"]
    }
    assert jobs.get("api:8000") == "/metrics"
    mounts = load_compose()["services"]["prometheus"]["volumes"]
    assert any(m.startswith("./prometheus/prometheus.yml:") for m in mounts)


# --- the rules themselves can fail ---------------------------------------------


def _bad_compose() -> dict[str, Any]:
    return {
        "services": {
            "api": {
                "build": {"context": "..", "dockerfile": "infra/docker/Dockerfile"},
                "command": "aisle serve --host 0.0.0.0 --port 8000",
                "environment": ["AISLE_ENV=production", "DATABASE_URL=postgres://x"],
                "healthcheck": {"test": ["CMD", "true"]},
            },
            "gpu": {
                "command": ["aisle", "worker", "--queues", "ingest,vision"],
                "environment": {"AISLE_DATA_DIR": "/data", "CUDA_VISIBLE_DEVICES": "0"},
            },
            "vllm": {"image": "vllm/vllm-openai:v0", "command": ["vllm", "serve", "m"]},
        }
    }


def test_rules_flag_a_broken_compose_file() -> None:
    bad = _bad_compose()
    assert vision_workers_without_solo(bad) == ["gpu"]
    assert api_healthcheck_problems(bad)
    assert vllm_without_prefix_caching(bad) == ["vllm"]
    assert non_aisle_env(bad) == ["api: DATABASE_URL", "gpu: CUDA_VISIBLE_DEVICES"]
    assert services_without_gpu(bad, ["gpu", "vllm"]) == ["gpu", "vllm"]


# --- Dockerfiles ------------------------------------------------------------------


def _instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    out: list[tuple[str, str]] = []
    buf = ""
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        buf += " " + stripped.rstrip("\\").strip()
        if not stripped.endswith("\\"):
            keyword, _, rest = buf.strip().partition(" ")
            out.append((keyword.upper(), rest.strip()))
            buf = ""
    return out


def _final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    last_from = max(i for i, (kw, _) in enumerate(instructions) if kw == "FROM")
    return instructions[last_from:]


@pytest.mark.parametrize("name", ["Dockerfile", "Dockerfile.gpu"])
def test_dockerfile_runs_as_non_root(name: str) -> None:
    final = _final_stage(_instructions(DOCKER / name))
    users = [args for kw, args in final if kw == "USER"]
    assert users, f"{name}: final stage has no USER"
    assert users[-1].split(":")[0] not in ("root", "0"), users[-1]


@pytest.mark.parametrize("name", ["Dockerfile", "Dockerfile.gpu"])
def test_dockerfile_is_multi_stage_and_installs_the_project(name: str) -> None:
    instructions = _instructions(DOCKER / name)
    assert sum(kw == "FROM" for kw, _ in instructions) >= 2
    runs = [args for kw, args in instructions if kw == "RUN"]
    assert any(re.search(r"\bpip install \.(\s|$)", r) for r in runs), name
    # torch is installed (from the PyTorch index) before the project.
    torch_i = next(i for i, r in enumerate(runs) if "torch==" in r and "--index-url" in r)
    project_i = next(i for i, r in enumerate(runs) if re.search(r"pip install \.(\s|$)", r))
    assert torch_i < project_i


def test_cpu_image_uses_the_cpu_torch_index() -> None:
    text = (DOCKER / "Dockerfile").read_text()
    assert "TORCH_VERSION=2.13.0" in text
    assert "https://download.pytorch.org/whl/cpu" in text


def test_gpu_image_is_based_on_cuda_runtime() -> None:
    instructions = _instructions(DOCKER / "Dockerfile.gpu")
    text = (DOCKER / "Dockerfile.gpu").read_text()
    assert re.search(r"ARG CUDA_IMAGE=nvidia/cuda:[\d.]+-\S*runtime-", text)
    assert instructions[0][0] == "ARG"
    assert "TORCH_VERSION=2.13.0" in text
    assert "download.pytorch.org/whl/${TORCH_CUDA}" in text


def test_dockerignore_files_match_and_keep_the_package() -> None:
    cpu = (DOCKER / "Dockerfile.dockerignore").read_text()
    gpu = (DOCKER / "Dockerfile.gpu.dockerignore").read_text()
    assert cpu == gpu
    patterns = {
        line.strip() for line in cpu.splitlines() if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "tests", "infra"} <= patterns
    for needed in ("pyproject.toml", "README.md", "backend", "workers", "vision", "recommender"):
        assert needed not in patterns and f"/{needed}" not in patterns, needed


# --- every plain YAML file parses ---------------------------------------------------


def _plain_yaml_files() -> list[Path]:
    return sorted(
        p
        for p in INFRA.rglob("*")
        if p.suffix in (".yaml", ".yml") and "templates" not in p.relative_to(INFRA).parts
    )


def test_all_plain_yaml_files_parse() -> None:
    files = _plain_yaml_files()
    assert COMPOSE in files and CHART / "values.yaml" in files
    for path in files:
        list(yaml.safe_load_all(path.read_text()))


# --- docker compose config (only with the compose plugin) ------------------------


def _docker_compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, text=True, timeout=60
    )
    return probe.returncode == 0


def test_docker_compose_config() -> None:
    if not _docker_compose_available():
        pytest.skip("`docker compose version` failed: no docker client with the compose plugin")
    result = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


# --- Helm chart (only with helm or helm-python-sdk) ---------------------------------


def _helm_python() -> str | None:
    configured = os.environ.get("AISLE_HELM_PYTHON")
    if configured:
        return configured
    if importlib.util.find_spec("helm_python") is not None:
        return sys.executable
    return None


@pytest.fixture(scope="module")
def helm_cmd() -> list[str]:
    """Command prefix taking `lint|template CHART [-f values]`."""
    if shutil.which("helm"):
        return ["helm"]
    helm_py = _helm_python()
    if helm_py:
        return [helm_py, str(INFRA / "tools" / "helm_offline.py")]
    pytest.skip("no `helm` on PATH and no helm-python-sdk (set AISLE_HELM_PYTHON)")


def _helm(helm_cmd: list[str], verb: str, *values: Path) -> subprocess.CompletedProcess[str]:
    cmd = [*helm_cmd, verb]
    if verb == "template" and helm_cmd == ["helm"]:
        cmd.append("aisle")
    if verb == "lint":
        cmd.append("--strict")
    cmd.append(str(CHART))
    for v in values:
        cmd += ["-f", str(v)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=180)


def render(helm_cmd: list[str], *values: Path) -> list[dict[str, Any]]:
    result = _helm(helm_cmd, "template", *values)
    assert result.returncode == 0, result.stdout + result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def by_kind_name(docs: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(d["kind"], d["metadata"]["name"]): d for d in docs}


def container(doc: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return doc["spec"]["template"]["spec"]["containers"][index]


CI_VALUES = sorted((CHART / "ci").glob("*-values.yaml"))


@pytest.mark.parametrize("values", [None, *CI_VALUES], ids=lambda v: v.name if v else "defaults")
def test_helm_lint(helm_cmd: list[str], values: Path | None) -> None:
    result = _helm(helm_cmd, "lint", *([values] if values else []))
    assert result.returncode == 0, result.stdout + result.stderr


def test_helm_template_defaults(helm_cmd: list[str]) -> None:
    docs = by_kind_name(render(helm_cmd))

    api = docs[("Deployment", "aisle-api")]
    c = container(api)
    assert c["args"][:2] == ["aisle", "serve"]
    assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"

    ingest = container(docs[("Deployment", "aisle-worker-ingest")])
    assert contains_run(ingest["args"], "--queues", "ingest")

    vision = docs[("Deployment", "aisle-worker-vision")]
    vc = container(vision)
    assert contains_run(vc["args"], "--queues", "vision")
    assert contains_run(vc["args"], "--pool", "solo")
    assert vc["resources"]["limits"]["nvidia.com/gpu"] >= 1
    assert vision["spec"]["template"]["spec"]["nodeSelector"]
    assert vc["image"].startswith("aisle-gpu:")

    vllm = container(docs[("Deployment", "aisle-vllm")])
    assert vllm["command"] == ["vllm", "serve"]
    assert "--enable-prefix-caching" in vllm["args"]
    assert vllm["resources"]["limits"]["nvidia.com/gpu"] >= 1

    qdrant = docs[("StatefulSet", "aisle-qdrant")]
    assert qdrant["spec"]["replicas"] == 3
    headless = docs[("Service", qdrant["spec"]["serviceName"])]
    assert headless["spec"]["clusterIP"] == "None"
    assert 6335 in [p["port"] for p in headless["spec"]["ports"]]
    qc = container(qdrant)
    assert {"name": "QDRANT__CLUSTER__ENABLED", "value": "true"} in qc["env"]
    script = qc["args"][0]
    assert "--bootstrap" in script and "aisle-qdrant-0.aisle-qdrant-headless:6335" in script

    job = docs[("Job", "aisle-migrate")]
    hooks = job["metadata"]["annotations"]["helm.sh/hook"].split(",")
    assert {"pre-install", "pre-upgrade"} <= set(hooks)
    assert container(job)["args"] == ["aisle", "migrate"]
    # The Job's env must exist before it runs, i.e. be a hook with a lower weight.
    env_secret = docs[("Secret", "aisle-migrate-env")]
    assert int(env_secret["metadata"]["annotations"]["helm.sh/hook-weight"]) < int(
        job["metadata"]["annotations"]["helm.sh/hook-weight"]
    )

    pvc = docs[("PersistentVolumeClaim", "aisle-data")]
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]

    config = docs[("ConfigMap", "aisle-config")]["data"]
    secret = docs[("Secret", "aisle-env")]["stringData"]
    assert all(k.startswith("AISLE_") for k in [*config, *secret])
    assert config["AISLE_QDRANT_URL"] == "http://aisle-qdrant:6333"
    assert config["AISLE_LLM_BASE_URL"] == "http://aisle-vllm:8000/v1"
    assert {"AISLE_DATABASE_URL", "AISLE_BROKER_URL", "AISLE_LLM_API_KEY"} <= set(secret)

    assert not any(kind == "ServiceMonitor" for kind, _ in docs)


def test_helm_template_external_services(helm_cmd: list[str]) -> None:
    values = CHART / "ci" / "external-services-values.yaml"
    docs = by_kind_name(render(helm_cmd, values))
    kinds = {kind for kind, _ in docs}
    assert "ServiceMonitor" in kinds and "StatefulSet" not in kinds
    assert ("Deployment", "aisle-vllm") not in docs
    assert ("Secret", "aisle-env") not in docs  # existingSecret replaces it
    config = docs[("ConfigMap", "aisle-config")]["data"]
    assert config["AISLE_LLM_BASE_URL"] == "https://llm.internal.example/v1"
    assert config["AISLE_QDRANT_URL"] == "http://qdrant.vector.svc:6333"
    env_from = container(docs[("Deployment", "aisle-api")])["envFrom"]
    assert {"secretRef": {"name": "aisle-external-env"}} in env_from


# --- validate.sh ---------------------------------------------------------------------


def _validate_env() -> dict[str, str]:
    # Give the script this interpreter (it has PyYAML) wherever infra/ lives.
    return {**os.environ, "AISLE_PYTHON": sys.executable}


def test_validate_script_passes() -> None:
    result = subprocess.run(
        ["bash", str(INFRA / "validate.sh")],
        capture_output=True,
        text=True,
        env=_validate_env(),
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS  YAML parses" in result.stdout


def test_validate_script_fails_on_broken_yaml(tmp_path: Path) -> None:
    copy = tmp_path / "infra"
    shutil.copytree(INFRA, copy)
    (copy / "prometheus" / "prometheus.yml").write_text("scrape_configs:\n  - [unclosed\n")
    result = subprocess.run(
        ["bash", str(copy / "validate.sh")],
        capture_output=True,
        text=True,
        env=_validate_env(),
        timeout=300,
    )
    assert result.returncode != 0, result.stdout
    assert "FAIL  YAML parses" in result.stdout
