#!/usr/bin/env python3
"""`helm lint` / `helm template` stand-in for machines without the helm binary.

Uses the optional `helm-python-sdk` package (import name `helm_python`), which
embeds Helm's own Go SDK as a shared library, so the chart is linted and
rendered by the real Helm engine rather than by a re-implementation. It is a
validation aid only, never a dependency of Aisle:

    python -m venv /tmp/helm-venv && /tmp/helm-venv/bin/pip install helm-python-sdk
    AISLE_HELM_PYTHON=/tmp/helm-venv/bin/python infra/validate.sh

Usage:
    helm_offline.py lint CHART_DIR [--strict] [-f VALUES.yaml ...]
    helm_offline.py template CHART_DIR [-f VALUES.yaml ...] [--name NAME] [--namespace NS]

`template` prints every rendered manifest (hooks included, NOTES.txt left out)
as one multi-document YAML stream, like `helm template`. Exit status is 0 on
success, 1 on lint errors or render failures, 2 when helm_python is missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

SEVERITY = {0: "UNKNOWN", 1: "INFO", 2: "WARNING", 3: "ERROR"}


def _say(message: str, *, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(message + "\n")


def _load_values(files: list[str]) -> dict[str, Any] | None:
    if not files:
        return None
    import yaml

    merged: dict[str, Any] = {}
    for name in files:
        data = yaml.safe_load(Path(name).read_text()) or {}
        _deep_merge(merged, data)
    return merged


def _deep_merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value)
        else:
            into[key] = value


def cmd_lint(helm: Any, args: argparse.Namespace) -> int:
    report = helm.lint(args.chart, _load_values(args.values), strict=args.strict)
    failed = bool(report.get("errors"))
    for msg in report.get("messages") or []:
        severity = SEVERITY.get(msg.get("severity", 0), "UNKNOWN")
        _say(f"[{severity}] {msg.get('path', '')}: {msg.get('error', '')}")
        if msg.get("severity") == 3 or (args.strict and msg.get("severity") == 2):
            failed = True
    for err in report.get("errors") or []:
        _say(f"[ERROR] {err}")
    linted = report.get("total_charts_linted", 0)
    _say(f"{linted} chart(s) linted, {'FAILED' if failed else 'no failures'}")
    return 1 if failed or not linted else 0


def cmd_template(helm: Any, args: argparse.Namespace) -> int:
    with helm.Chart.load(args.chart) as chart:
        manifests = chart.render(
            _load_values(args.values),
            name=args.name,
            namespace=args.namespace,
            is_install=True,
        )
    import yaml

    out = []
    for path in sorted(manifests):
        body = manifests[path].strip()
        if path.endswith("NOTES.txt") or not body:
            continue
        # helm template refuses manifests that are not YAML; so does this.
        try:
            list(yaml.safe_load_all(body))
        except yaml.YAMLError as exc:
            _say(f"{path}: rendered output is not valid YAML: {exc}", err=True)
            return 1
        out.append(f"---\n# Source: {path}\n{body}\n")
    sys.stdout.write("".join(out))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("lint", "template"):
        p = sub.add_parser(name)
        p.add_argument("chart")
        p.add_argument("-f", "--values", action="append", default=[])
        if name == "lint":
            p.add_argument("--strict", action="store_true")
        else:
            p.add_argument("--name", default="aisle")
            p.add_argument("--namespace", default="default")
    args = parser.parse_args(argv)

    try:
        import helm_python as helm
    except ImportError:
        _say("helm_python (pip install helm-python-sdk) is not importable", err=True)
        return 2

    try:
        return cmd_lint(helm, args) if args.command == "lint" else cmd_template(helm, args)
    except Exception as exc:  # the SDK raises its own error types per failure kind
        _say(f"{args.command} failed: {type(exc).__name__}: {exc}", err=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
