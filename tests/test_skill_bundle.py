"""The bundle installs as an agent skill: a folder named like SKILL.md's frontmatter `name`,
checked by the Agent Skills reference validator (skills-ref, in the test extra)."""

import shutil
from pathlib import Path

from skills_ref import read_properties, validate

ROOT = Path(__file__).resolve().parent.parent
# What a skill folder holds: the instructions, the script and its package, the references.
BUNDLE = ("SKILL.md", "README.md", "pyproject.toml", "scripts", "references")


def install(skills_dir: Path, folder: str) -> Path:
    target = skills_dir / folder
    target.mkdir(parents=True)
    for name in BUNDLE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


def test_the_bundle_installed_under_its_name_is_a_valid_skill(tmp_path):
    skill = install(tmp_path, "sentry-api")
    assert validate(skill) == []
    assert read_properties(skill).name == "sentry-api"


def test_a_folder_named_otherwise_is_refused(tmp_path):
    """The name the README tells users to give the folder is the one the validator requires."""
    problems = validate(install(tmp_path, "sentry-skill"))
    assert len(problems) == 1 and "sentry-api" in problems[0] and "sentry-skill" in problems[0]
