#!/usr/bin/env python3
"""One entry point for a newcomer's machine: `python3 dev.py run` and `python3 dev.py test`.

Needs only Python 3.11+ and Node.js (with npm). It creates `.venv`, installs the
locked Python and npm dependencies, builds the GOV.UK / MOJ front-end assets and
then runs the platform or the checks. Re-running skips steps whose inputs have
not changed.

  run      set up, migrate the SQLite database, load demo data, serve on :8000 with a
           job worker and the jobs' scheduler beside it (all stop with Ctrl+C)
  test     set up, then ruff, format check, mypy, migrations check and pytest
  pytest   set up, then pytest only (extra arguments are passed through)
  bench    on PostgreSQL ($BENCH_DATABASE_URL, default a local probation_bench database):
           load the synthetic national caseload, benchmark sentence management and the
           Unpaid Work planner, and record figures in docs/benchmarks.md
  setup    set up only
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
LOCK = ROOT / "requirements" / "dev.txt"


def say(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(part) for part in command], cwd=ROOT, check=True, env=env)


def fingerprint(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def up_to_date(marker: Path, stamp: str) -> bool:
    return marker.exists() and marker.read_text() == stamp


def ensure_python() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is needed: run this with python3.11 or later.")
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    marker = VENV / ".installed"
    stamp = fingerprint(LOCK)
    if not up_to_date(marker, stamp):
        say("Installing locked Python dependencies")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", LOCK)
        marker.write_text(stamp)


def ensure_assets() -> None:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("Node.js with npm is needed to build the GOV.UK Frontend assets.")
    marker = ROOT / "node_modules" / ".installed"
    stamp = fingerprint(ROOT / "package-lock.json")
    if not up_to_date(marker, stamp):
        say("Installing locked npm packages (GOV.UK Frontend, MOJ Frontend)")
        run(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
        marker.write_text(stamp)
    built = ROOT / "static" / "dist" / ".built"
    sources = sorted(p for p in (ROOT / "assets").rglob("*") if p.is_file())
    stamp = fingerprint(ROOT / "package-lock.json", *sources)
    if not up_to_date(built, stamp):
        say("Building front-end assets")
        run(npm, "run", "--silent", "build")
        built.write_text(stamp)


def django_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DEBUG", "true")
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str] | None = None) -> None:
    run(PYTHON, "manage.py", *args, env=env or django_env())


def setup() -> None:
    ensure_python()
    ensure_assets()


def command_run() -> None:
    setup()
    env = django_env()
    say("Migrating the SQLite database and loading reference data")
    manage("migrate", "--no-input", "-v", "0", env=env)
    say("Loading the demo dataset")
    manage("load_demo", env=env)
    say("Starting the job worker and the scheduler beside the web server")
    # A SIGTERM (not only Ctrl+C) stops the children too: exit through the finally below.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    helpers = [
        subprocess.Popen([str(PYTHON), "manage.py", *command], cwd=ROOT, env=env)
        for command in (
            ("db_worker", "--queue-name", "*", "--interval", "1", "--no-reload", "-v", "0"),
            ("run_scheduler",),
        )
    ]
    try:
        say("Serving on http://127.0.0.1:8000 (Ctrl+C to stop)")
        manage("runserver", "127.0.0.1:8000", env=env)
    finally:
        stop_children(helpers)


def stop_children(children: list[subprocess.Popen[bytes]]) -> None:
    """Stops the worker and the scheduler with the web server: asks, then insists."""
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def command_pytest(extra: list[str]) -> None:
    setup()
    run(PYTHON, "-m", "pytest", *extra, env=django_env())


def command_test(extra: list[str]) -> None:
    setup()
    env = django_env()
    say("ruff: lint")
    run(PYTHON, "-m", "ruff", "check", ".", env=env)
    say("ruff: format check")
    run(PYTHON, "-m", "ruff", "format", "--check", ".", env=env)
    say("mypy: type check")
    run(PYTHON, "-m", "mypy", ".", env=env)
    say("import-linter: every app imports only the layers below it")
    run(VENV / "bin" / "lint-imports", env=env)
    say("Migrations are complete")
    manage("makemigrations", "--check", "--dry-run", env=env)
    say("pytest")
    run(PYTHON, "-m", "pytest", *extra, env=env)


def command_bench(extra: list[str]) -> None:
    """Fresh database, national caseload, then the benchmarks (figures go to docs/benchmarks.md)."""
    setup()
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/probation_bench")
    env = django_env(DATABASE_URL=url)
    say(f"Recreating the benchmark database ({url.rsplit('/', 1)[-1]})")
    run(PYTHON, "-c", _RECREATE_DATABASE, url, env=env)
    manage("migrate", "--no-input", "-v", "0", env=env)
    say("Loading the synthetic national caseload")
    manage("generate_national_caseload", *extra, env=env)
    say("Benchmarking sentence management")
    manage("benchmark_sentence_management", env=env)
    say("Benchmarking the Unpaid Work planner (about 20 minutes on 2 cores)")
    manage("benchmark_upw_planner", env=env)


_RECREATE_DATABASE = """
import sys, psycopg
from urllib.parse import urlsplit
url = urlsplit(sys.argv[1])
name = url.path.lstrip("/")
admin = url._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
"""


def main(argv: list[str]) -> None:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    command, extra = argv[0], argv[1:]
    try:
        if command == "run":
            command_run()
        elif command == "test":
            command_test(extra)
        elif command == "pytest":
            command_pytest(extra)
        elif command == "bench":
            command_bench(extra)
        elif command == "setup":
            setup()
        else:
            sys.exit(f"Unknown command {command!r}. Try: run, test, pytest, setup")
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode or 1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main(sys.argv[1:])
