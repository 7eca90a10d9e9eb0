#!/usr/bin/env bash
# Static validation of infra/: needs no Docker engine, no cluster, no network.
#
#   infra/validate.sh
#
# Always:   every non-template YAML file under infra/ parses (PyYAML), and the
#           chart's values.schema.json is valid JSON.
# If found: `docker compose config -q`   (docker client + compose plugin)
#           `helm lint --strict` + `helm template` with default and ci/ values
#           (helm binary; else infra/tools/helm_offline.py when a Python with
#           helm-python-sdk is given as AISLE_HELM_PYTHON or is the one below)
#           compose-spec JSON schema (check-jsonschema, offline),
#           hadolint on both Dockerfiles, shellcheck on this script.
# Each optional tool that is missing is reported as SKIP, never as a pass.
# Exit status: the number of failed checks (0 = all ran checks passed).
#
# Environment:
#   AISLE_PYTHON       Python with PyYAML (default: .venv/bin/python, then python3)
#   AISLE_HELM_PYTHON  Python with helm-python-sdk, used when helm is absent

set -uo pipefail

infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${infra_dir}/.." && pwd)"
cd "${root}" || exit 1

chart="infra/helm/aisle"
failures=0
pass() { printf 'PASS  %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; failures=$((failures + 1)); }
skip() { printf 'SKIP  %s\n' "$*"; }

# run LABEL CMD...: run a check, show its output only when it fails.
run() {
    local label="$1" out
    shift
    if out="$("$@" 2>&1)"; then
        pass "${label}"
    else
        fail "${label}"
        printf '%s\n' "${out}" | sed 's/^/      /'
    fi
}

# --- Python with PyYAML (required) -------------------------------------------
py=""
for candidate in "${AISLE_PYTHON:-}" "${root}/.venv/bin/python" python3; do
    [ -n "${candidate}" ] || continue
    if "${candidate}" -c 'import yaml' >/dev/null 2>&1; then
        py="${candidate}"
        break
    fi
done

if [ -z "${py}" ]; then
    fail "no Python with PyYAML found (tried \$AISLE_PYTHON, .venv/bin/python, python3)"
else
    # Helm templates are Go templates, not YAML, until rendered: the helm
    # checks below cover them.
    run "YAML parses (infra/, Helm templates excluded)" "${py}" - <<'PY'
import json
import pathlib
import sys

import yaml

root = pathlib.Path("infra")
files = sorted(
    p for p in root.rglob("*")
    if p.suffix in {".yaml", ".yml"} and "templates" not in p.relative_to(root).parts
)
bad = 0
for path in files:
    try:
        list(yaml.safe_load_all(path.read_text()))
    except yaml.YAMLError as exc:
        bad += 1
        print(f"{path}: {exc}")
for path in sorted(root.rglob("*.json")):
    try:
        json.loads(path.read_text())
    except ValueError as exc:
        bad += 1
        print(f"{path}: {exc}")
if not files:
    print("no YAML files found under infra/")
    bad += 1
sys.exit(1 if bad else 0)
PY
fi

# --- docker compose ------------------------------------------------------------
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    run "docker compose config (infra/compose.yaml)" \
        docker compose -f infra/compose.yaml config -q
else
    skip "docker compose: the docker client with the compose plugin is not installed"
fi

# The Compose Specification's JSON schema ships inside check-jsonschema, so this
# runs offline; it checks structure (keys, depends_on conditions, deploy
# devices), not interpolation or cross-references.
if command -v check-jsonschema >/dev/null 2>&1; then
    run "compose-spec schema (check-jsonschema)" \
        check-jsonschema --builtin-schema vendor.compose-spec infra/compose.yaml
else
    skip "compose-spec schema: check-jsonschema not installed"
fi

# --- helm ------------------------------------------------------------------------
helm_py=""
for candidate in "${AISLE_HELM_PYTHON:-}" "${py}"; do
    [ -n "${candidate}" ] || continue
    if "${candidate}" -c 'import helm_python' >/dev/null 2>&1; then
        helm_py="${candidate}"
        break
    fi
done

if command -v helm >/dev/null 2>&1; then
    run "helm lint --strict ${chart}" helm lint --strict "${chart}"
    run "helm template ${chart}" helm template aisle "${chart}"
    for values in "${chart}"/ci/*-values.yaml; do
        [ -e "${values}" ] || continue
        run "helm lint --strict ${chart} -f ${values}" helm lint --strict "${chart}" -f "${values}"
        run "helm template ${chart} -f ${values}" helm template aisle "${chart}" -f "${values}"
    done
elif [ -n "${helm_py}" ]; then
    offline=(infra/tools/helm_offline.py)
    run "helm lint --strict ${chart} (helm-python-sdk)" \
        "${helm_py}" "${offline[@]}" lint --strict "${chart}"
    run "helm template ${chart} (helm-python-sdk)" \
        "${helm_py}" "${offline[@]}" template "${chart}"
    for values in "${chart}"/ci/*-values.yaml; do
        [ -e "${values}" ] || continue
        run "helm lint --strict ${chart} -f ${values} (helm-python-sdk)" \
            "${helm_py}" "${offline[@]}" lint --strict "${chart}" -f "${values}"
        run "helm template ${chart} -f ${values} (helm-python-sdk)" \
            "${helm_py}" "${offline[@]}" template "${chart}" -f "${values}"
    done
else
    skip "helm: neither the helm binary nor a Python with helm-python-sdk (AISLE_HELM_PYTHON) is available"
fi

# --- linters, when present ----------------------------------------------------------
if command -v hadolint >/dev/null 2>&1; then
    run "hadolint infra/docker/Dockerfile" hadolint infra/docker/Dockerfile
    run "hadolint infra/docker/Dockerfile.gpu" hadolint infra/docker/Dockerfile.gpu
else
    skip "hadolint: not installed"
fi

if command -v shellcheck >/dev/null 2>&1; then
    run "shellcheck infra/validate.sh" shellcheck infra/validate.sh
else
    skip "shellcheck: not installed"
fi

if [ "${failures}" -gt 0 ]; then
    echo "infra validation: ${failures} check(s) failed"
else
    echo "infra validation: all checks that could run passed"
fi
exit "${failures}"
