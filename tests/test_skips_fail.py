"""The conftest hook: a skipped or xfailed test fails the run, a deselected one does not."""

import pytest

from conftest import SkippedIsFailure

pytest_plugins = ["pytester"]

INNER = """
import pytest

def test_runs():
    pass

@pytest.mark.skipif(True, reason="data not here")
def test_marked_skip():
    pass

def test_skips_itself():
    pytest.skip("no server")

@pytest.mark.xfail(reason="known bug")
def test_xfails():
    assert False
"""


def inner_pytest(pytester, *args):
    """In-process, with only the hook under test (hypothesis's plugin is slow to load each time)."""
    return pytester.runpytest("-q", "-p", "no:hypothesispytest", "-p", "no:cacheprovider", *args,
                              plugins=[SkippedIsFailure()])


def run(pytester, *args):
    pytester.makepyfile(test_inner=INNER)
    return inner_pytest(pytester, *args)


def test_a_skip_or_xfail_fails_the_run_and_names_the_tests(pytester):
    result = run(pytester)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["a skipped test is a failure here: test_inner.py::test_marked_skip, "
                                 "test_inner.py::test_skips_itself, test_inner.py::test_xfails"])


@pytest.mark.parametrize("name", ["test_marked_skip", "test_skips_itself", "test_xfails"])
def test_each_kind_alone_fails_the_run(pytester, name):
    result = run(pytester, "-k", name)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([f"a skipped test is a failure here: test_inner.py::{name}"])


def test_deselection_is_not_a_skip(pytester):
    result = run(pytester, "-k", "test_runs")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, deselected=3)
    assert "a skipped test is a failure here" not in result.stdout.str()


def test_a_module_skipped_at_import_fails_the_run(pytester):
    pytester.makepyfile(test_gone="import pytest\npytest.importorskip('no_such_module_here')\n",
                        test_fine="def test_fine():\n    pass\n")
    result = inner_pytest(pytester)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["a skipped test is a failure here: test_gone.py"])


def test_a_real_failure_keeps_its_own_exit_code(pytester):
    pytester.makepyfile(test_broken="import pytest\ndef test_x(): pytest.skip()\ndef test_y(): assert False\n")
    result = inner_pytest(pytester)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(failed=1, skipped=1)
