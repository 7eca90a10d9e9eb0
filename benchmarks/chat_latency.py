"""Chat latency over HTTP: time to the `products` event and to the first `token` event.

    python benchmarks/chat_latency.py --turns 8 --out benchmarks/results/chat-latency.json

Serves backend.app.create_app with uvicorn in a thread of this process on 127.0.0.1 (Qdrant
local mode is single-process), over the bundled sample catalog, and POSTs chat turns as SSE
with keep-alive, one at a time, from a fixed mix of Korean and English questions. Two
responders, same questions: the template, and the LLM responder against llama.cpp's server
with SmolLM2-135M (started here on a free port unless --llm-url is given). The LLM's own
time to first token is measured separately: the same prompts streamed straight to the server
with the openai client. Generation is capped (--max-tokens) so runs stay bounded.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

# A script here named like a package (say `vision.py`) would shadow it (the editable
# install's finder runs after sys.path): take the folder off the path, load _common by file.
_HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == _HERE:
    sys.path.pop(0)
_spec = importlib.util.spec_from_file_location("_common", _HERE / "_common.py")
assert _spec is not None and _spec.loader is not None
sys.modules["_common"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sys.modules["_common"])

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from contextlib import ExitStack  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402
import openai  # noqa: E402
from _common import REPO, AppServer, load_average, machine_info, percentiles, table, write_json  # noqa: E402

from backend.app import create_app  # noqa: E402
from backend.chat import service  # noqa: E402
from backend.chat.llm import LLMConfig, LLMResponder  # noqa: E402
from backend.chat.prompt import build_messages  # noqa: E402
from backend.chat.responder import TemplateResponder  # noqa: E402
from backend.chat.schemas import MessageIn  # noqa: E402
from backend.cli import DEMO_CATALOG, import_file  # noqa: E402
from backend.db import session_scope  # noqa: E402
from backend.merchants.service import create_merchant  # noqa: E402
from backend.runtime import Runtime  # noqa: E402
from backend.settings import Settings  # noqa: E402

QUESTIONS = [
    "지성 피부에 좋은 수분크림 추천해줘", "moisturizer for oily skin", "선크림 2만원 이하",
    "black cotton tee under 20,000 won", "진정 토너 있어?", "warm wool coat", "화이트 머그컵",
    "hydrating serum for dry skin", "캔버스 스니커즈", "used mirrorless camera",
]


def start_llama_server(threads: int) -> Any:
    """tests/llm_server.py's llama.cpp server (the repo root is not on a script's path)."""
    sys.path.insert(0, str(REPO))
    from tests.llm_server import llama_server

    return llama_server(n_threads=threads)


def sse_turn(client: httpx.Client, key: str, text: str) -> dict[str, Any]:
    """One turn; seconds from sending to the end of the products event, the first token event
    and the done event, plus which responder's text was kept."""
    auth = {"Authorization": f"Bearer {key}"}
    sid = client.post("/v1/chat/sessions", headers=auth).json()["session_id"]
    out: dict[str, Any] = {}
    started = time.perf_counter()
    with client.stream("POST", f"/v1/chat/sessions/{sid}/messages", headers=auth,
                       json={"text": text}) as resp:
        resp.raise_for_status()
        name = None
        for line in resp.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name:
                now = time.perf_counter() - started
                if name == "products":
                    out["products_s"] = now
                    out["products"] = len(json.loads(line[6:])["products"])
                elif name == "token":
                    out.setdefault("first_token_s", now)
                elif name == "done":
                    out["done_s"] = now
                    data = json.loads(line[6:])
                    out["responder"], out["fallback"] = data.get("responder"), data.get("fallback")
    return out


def direct_ttft(url: str, model: str | None, prompts: list[list[dict[str, str]]],
                max_tokens: int) -> list[float]:
    """The LLM server alone: time to the first content delta of a streamed completion."""

    async def run() -> list[float]:
        client = openai.AsyncOpenAI(base_url=url, api_key="not-needed", max_retries=0,
                                    timeout=120)
        name = model or (await client.models.list()).data[0].id
        times = []
        for messages in prompts:
            started = time.perf_counter()
            stream = await client.chat.completions.create(
                model=name, messages=messages, stream=True, max_tokens=max_tokens,  # type: ignore[arg-type]
                temperature=0.2)
            async with stream:
                async for chunk in stream:
                    if chunk.choices and chunk.choices[0].delta.content:
                        times.append(time.perf_counter() - started)
                        break
        await client.close()
        return times

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=8, help="measured turns per responder")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--llm-url", help="an OpenAI-compatible server; default: start llama.cpp")
    parser.add_argument("--llm-model")
    parser.add_argument("--llm-threads", type=int, default=2, help="llama.cpp threads")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(args.warmup + args.turns)]

    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="aisle-chat-bench-")))
        url = args.llm_url or stack.enter_context(start_llama_server(args.llm_threads))
        rt = Runtime.create(Settings(_env_file=None, data_dir=tmp, env="test"))  # type: ignore[call-arg]
        stack.callback(rt.close)
        with session_scope(rt.engine) as session:
            merchant, _, client_key = create_merchant(session, "bench")
        import_file(rt, DEMO_CATALOG, "bench", quiet=True)
        rt.encoders.preload()

        results: dict[str, Any] = {}
        llm = LLMResponder(LLMConfig(base_url=url, model=args.llm_model, max_tokens=args.max_tokens,
                                     read_timeout_s=120))
        for label, responder in (("template", TemplateResponder()), ("llm", llm)):
            with AppServer(create_app(runtime=rt, responder=responder)) as server, httpx.Client(
                    base_url=f"http://127.0.0.1:{server.port}", timeout=300) as client:
                turns = [sse_turn(client, client_key, q) for q in questions]
            measured = turns[args.warmup:]
            results[label] = {
                "time_to_products": percentiles([t["products_s"] for t in measured]),
                "time_to_first_token": percentiles([t["first_token_s"] for t in measured]),
                "time_to_done": percentiles([t["done_s"] for t in measured]),
                "kept": {r: sum(t["responder"] == r for t in measured) for r in ("llm", "template")},
                "fallbacks": [t["fallback"] for t in measured],
                "products": [t["products"] for t in measured],
            }
            print(f"{label}: done", file=sys.stderr)

        prompts = []
        for q in questions:  # a fresh session each, as in the HTTP runs
            with session_scope(rt.engine) as session:
                sid = service.create_session(session, merchant.id).id
            turn = service.prepare_turn(rt, merchant.id, sid, MessageIn(text=q))
            prompts.append(build_messages(turn.context))
        direct = direct_ttft(url, args.llm_model, prompts, args.max_tokens)[args.warmup:]
        results["llm_server_direct"] = {"time_to_first_token": percentiles(direct)}

    rows = []
    for label in ("template", "llm"):
        r = results[label]
        rows.append([f"HTTP, {label} responder", r["time_to_products"]["p50_ms"],
                     r["time_to_products"]["p95_ms"], r["time_to_first_token"]["p50_ms"],
                     r["time_to_first_token"]["p95_ms"], r["time_to_done"]["p50_ms"]])
    d = results["llm_server_direct"]["time_to_first_token"]
    rows.append(["LLM server alone (openai client)", "-", "-", d["p50_ms"], d["p95_ms"], "-"])
    print(table(["path", "products p50 ms", "products p95 ms", "first token p50 ms",
                 "first token p95 ms", "done p50 ms"], rows))
    print(f"llm run: kept {results['llm']['kept']}, fallbacks {results['llm']['fallbacks']}, "
          f"products per turn {results['llm']['products']}; load average {load_average()}")
    if args.out:
        write_json(args.out, {"machine": machine_info(), "load_average": load_average(),
                              "turns": args.turns, "max_tokens": args.max_tokens,
                              "results": results})


if __name__ == "__main__":
    main()
