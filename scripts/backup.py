#!/usr/bin/env python
"""Back up and restore the portal: the PostgreSQL database (pg_dump) and the uploaded files.

    scripts/backup.py backup  --out DIR                 # DIR/db.dump, DIR/media.tar.gz, DIR/manifest.json
    scripts/backup.py restore --from DIR --database-url URL --media-root PATH
    scripts/backup.py verify  --from DIR --database-url URL --media-root PATH

``backup`` reads DATABASE_URL and MEDIA_ROOT (default var/media) like the portal. The manifest
holds every table's row count and every uploaded file's SHA-256; ``verify`` checks a restored
database and media folder against it (exit status 1 and the differences otherwise). ``restore``
needs an empty database (``createdb`` it first) and runs ``verify`` at the end. Stored import
uploads (IMPORT_STORAGE_DIR) are transient and not backed up; the per-agency Excel workbook
(/imports/backup/) is the manager's own copy of their ledgers, not this.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import environ
import psycopg

ROOT = Path(__file__).resolve().parent.parent


def _libpq(url: str) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection arguments and environment (the password never on argv)."""
    config = environ.Env.db_url_config(url)
    args = ["-h", str(config.get("HOST") or "127.0.0.1"), "-p", str(config.get("PORT") or 5432)]
    args += ["-U", str(config.get("USER") or "postgres"), "-d", str(config["NAME"])]
    env = {**os.environ}
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    return args, env


def _connect(url: str):
    config = environ.Env.db_url_config(url)
    return psycopg.connect(
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
        user=config.get("USER") or "postgres",
        password=config.get("PASSWORD") or None,
        dbname=config["NAME"],
    )


def row_counts(url: str) -> dict[str, int]:
    with _connect(url) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def file_digests(media_root: Path) -> dict[str, str]:
    digests = {}
    if media_root.exists():
        for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
            digests[path.relative_to(media_root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def backup(out: Path, url: str, media_root: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    args, env = _libpq(url)
    # One consistent snapshot of the database; the counts are taken right after it.
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(out / "db.dump"), *args], env=env, check=True)
    manifest = {"tables": row_counts(url), "files": file_digests(media_root)}
    with tarfile.open(out / "media.tar.gz", "w:gz") as archive:
        for name in manifest["files"]:
            archive.add(media_root / name, arcname=name)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    print(f"{len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows, "
          f"{len(manifest['files'])} files → {out}")  # fmt: skip


def restore(source: Path, url: str, media_root: Path) -> None:
    args, env = _libpq(url)
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", *args, str(source / "db.dump")], env=env, check=True
    )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as archive:
        archive.extractall(media_root, filter="data")


def verify(source: Path, url: str, media_root: Path) -> list[str]:
    manifest = json.loads((source / "manifest.json").read_text())
    problems = []
    counts = row_counts(url)
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            problems.append(f"table {table}: {counts.get(table)} rows, the backup has {expected}")
    files = file_digests(media_root)
    for name, digest in manifest["files"].items():
        if files.get(name) != digest:
            problems.append(f"file {name}: {'different' if name in files else 'missing'}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["backup", "restore", "verify"])
    parser.add_argument("--out", type=Path, help="backup: the folder to write")
    parser.add_argument("--from", dest="source", type=Path, help="restore/verify: a backup folder")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument(
        "--media-root", type=Path, default=Path(os.environ.get("MEDIA_ROOT", ROOT / "var" / "media"))
    )
    options = parser.parse_args()
    if not options.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("a PostgreSQL DATABASE_URL (or --database-url) is needed")
    if options.command == "backup":
        backup(options.out or parser.error("--out is needed"), options.database_url, options.media_root)
        return 0
    source = options.source or parser.error("--from is needed")
    if options.command == "restore":
        restore(source, options.database_url, options.media_root)
    problems = verify(source, options.database_url, options.media_root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("every table's rows and every file are there")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
