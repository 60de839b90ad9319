"""Naming a version of the rules: a rulesets folder, or `git:REV` (the repository's
rulesets folder at a revision), for `scenarios diff --base/--candidate`.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from engine.loader import default_rulesets_root, load_rulesets
from engine.programmes import Ruleset
from engine.sourcefiles import InputError, Problem

GIT_PREFIX = "git:"


@dataclass(frozen=True)
class RulesVersion:
    """Loaded rulesets and how they were named."""

    ref: str
    rulesets: tuple[Ruleset, ...]
    by_jurisdiction: bool  # a root of ruleset folders: each person by where they live
    files: dict[str, str]  # path -> text of every YAML file, to ship to workers


def _folder_files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*.yaml"))
    }


def _git_files(revision: str, repository: Path) -> dict[str, str]:
    """The rulesets folder's YAML files at `revision`, read with `git archive`."""
    top = subprocess.run(
        ["git", "-C", str(repository), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    if top.returncode != 0:
        raise _bad(f"{GIT_PREFIX}{revision}", "not inside a git repository")
    root = Path(top.stdout.strip())
    inside = default_rulesets_root().resolve().relative_to(root).as_posix()
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", revision, "--", inside],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        reason = archive.stderr.decode(errors="replace").strip().splitlines()
        raise _bad(f"{GIT_PREFIX}{revision}", reason[-1] if reason else "unknown revision")
    files: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        for member in tar.getmembers():
            name = PurePosixPath(member.name)
            if member.isfile() and name.suffix == ".yaml":
                extracted = tar.extractfile(member)
                assert extracted is not None
                files[name.relative_to(inside).as_posix()] = extracted.read().decode("utf-8")
    return files


def _bad(ref: str, reason: str) -> InputError:
    return InputError([Problem(ref, None, "", reason)])


def materialise(files: dict[str, str], into: Path) -> Path:
    """Write shipped ruleset files under `into` (refusing paths that leave it)."""
    for name, text in files.items():
        target = (into / name).resolve()
        if into.resolve() not in target.parents:
            raise _bad(name, "names a file outside its rulesets folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return into


def load_version(ref: str, repository: Path | None = None) -> RulesVersion:
    """A REF as loaded rulesets; InputError (exit 2) for a bad folder or revision."""
    if ref.startswith(GIT_PREFIX):
        files = _git_files(ref[len(GIT_PREFIX) :], repository or Path.cwd())
        if not files:
            raise _bad(ref, "has no rulesets folder at that revision")
        with tempfile.TemporaryDirectory(prefix="justenough-rules-") as temp:
            folder = materialise(files, Path(temp))
            rulesets = load_rulesets([folder])
        return RulesVersion(ref, tuple(rulesets), True, files)
    folder = Path(ref)
    if not folder.is_dir():
        raise _bad(ref, "no such rulesets folder")
    rulesets = load_rulesets([folder])
    single = (folder / "ruleset.yaml").is_file()
    return RulesVersion(ref, tuple(rulesets), not single, _folder_files(folder))


def load_shipped(files: dict[str, str]) -> list[Ruleset]:
    """Rulesets from shipped files (on a worker)."""
    with tempfile.TemporaryDirectory(prefix="justenough-rules-") as temp:
        return load_rulesets([materialise(files, Path(temp))])
