"""Start-up: a run imports what its command needs and no more.

Timing is measured by bench/startup.py (noisy on a shared machine, so not a test);
these tests guard what makes start-up cheap: the modules a run imports.
"""

import pkgutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

from sentry_skill import commands
from standin import TOKEN

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "sentry_api.py"


def test_the_index_names_the_module_that_declares_each_command():
    declared = {}
    for info in pkgutil.iter_modules(commands.__path__):
        module = import_module(f"{commands.__name__}.{info.name}")
        for entry in getattr(module, "COMMANDS", ()):
            declared[entry.name] = info.name
    assert set(commands.MODULES) == set(declared.values()), "every module with COMMANDS is in commands.MODULES"
    assert commands.MODULE_OF == declared, "commands.MODULE_OF names each command's module"


def test_find_gives_the_table_entry():
    for entry in commands.TABLE:
        assert commands.find(entry.name) is entry


def imported(argv, env, cwd):
    """Every module in sys.modules when the script exits, and its exit code. (`python -X importtime`
    does not see a module imported by importlib.import_module, as commands.find does.)"""
    watch = (f"import atexit, runpy, sys; sys.path.insert(0, {str(SCRIPT.parent)!r}); "
             "atexit.register(lambda: sys.stderr.write('modules: ' + ' '.join(sys.modules) + '\\n')); "
             f"sys.argv[0] = {str(SCRIPT)!r}; runpy.run_path(sys.argv[0], run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", watch, *argv], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=60)
    lines = [line for line in done.stderr.splitlines() if line.startswith("modules: ")]
    assert len(lines) == 1, done.stderr
    return set(lines[0].split()[1:]), done.returncode


def group_modules(names) -> set:
    return {name.rsplit(".", 1)[1] for name in names
            if name.startswith("sentry_skill.commands.") and name.rsplit(".", 1)[1] in commands.MODULES}


@pytest.mark.parametrize("argv", [["issue-detail", "BACKEND-C"], ["list-issues", "--limit", "20"]])
def test_a_read_command_imports_its_own_group_and_nothing_it_does_not_use(argv, standin, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SENTRY_BASE_URL": standin.url,
           "SENTRY_AUTH_TOKEN": TOKEN, "SENTRY_ORG": "acme"}
    names, code = imported(argv, env, tmp_path)
    assert code == 0
    assert standin.paths()  # it did ask the server
    assert group_modules(names) == {commands.MODULE_OF[argv[0]]}
    assert "configparser" not in names  # no ~/.sentryclirc here
    assert not {"dataclasses", "inspect"} & names  # plain classes and named tuples cost less to make
    assert not {"argparse", "sentry_skill.cli_parser"} & names  # a plain command line (plain_args.py)
    assert "netrc" not in names  # requests reads no ~/.netrc: the token is the only credential
    dotenv_files = (tmp_path / ".env").is_file() or (ROOT / ".env").is_file()
    assert ("dotenv" in names) == dotenv_files  # python-dotenv only reads a .env file that is there


def test_what_a_run_imports_is_frozen_out_of_the_collections(standin, tmp_path):
    """A collection would walk every imported object again, the one at exit included: a run
    freezes them once requests is in (client.py); about a tenth of a read command's process."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SENTRY_BASE_URL": standin.url,
           "SENTRY_AUTH_TOKEN": TOKEN, "SENTRY_ORG": "acme"}
    watch = (f"import atexit, gc, runpy, sys; sys.path.insert(0, {str(SCRIPT.parent)!r}); "
             "atexit.register(lambda: sys.stderr.write(f'frozen: {gc.get_freeze_count()}\\n')); "
             f"sys.argv[0] = {str(SCRIPT)!r}; runpy.run_path(sys.argv[0], run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", watch, "issue-detail", "BACKEND-C"], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    frozen = int(done.stderr.split("frozen: ")[1].split()[0])
    assert frozen > 10_000  # requests, urllib3 and this package: tens of thousands of objects


def test_a_profile_costs_no_dataclasses(standin, tmp_path):
    profiles = tmp_path / "profiles.ini"
    profiles.write_text(f"[local]\nbase_url = {standin.url}\norg = acme\ntoken_env = LOCAL_TOKEN\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SENTRY_PROFILES_FILE": str(profiles),
           "SENTRY_PROFILE": "local", "LOCAL_TOKEN": TOKEN}
    names, code = imported(["issue-detail", "BACKEND-C"], env, tmp_path)
    assert code == 0 and standin.paths()
    assert "sentry_skill.profiles" in names and not {"dataclasses", "inspect"} & names


def test_a_dotenv_file_is_still_read(standin, tmp_path):
    (tmp_path / ".env").write_text(f"SENTRY_AUTH_TOKEN={TOKEN}\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SENTRY_BASE_URL": standin.url, "SENTRY_ORG": "acme"}
    names, code = imported(["issue-detail", "BACKEND-C"], env, tmp_path)
    assert code == 0 and "dotenv" in names


def test_help_imports_every_group(tmp_path):
    names, code = imported(["--help"], {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, tmp_path)
    assert code == 0
    assert group_modules(names) == set(commands.MODULES)


def test_a_line_that_is_not_plain_is_read_by_argparse(standin, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SENTRY_BASE_URL": standin.url,
           "SENTRY_AUTH_TOKEN": TOKEN, "SENTRY_ORG": "acme"}
    names, code = imported(["issue-detail", "BACKEND-C", "--format=table"], env, tmp_path)
    assert code == 0 and "argparse" in names
