"""`_memo`: a remembered step returns what computing it returns, and never a result of other inputs
or other code (tests/test_incremental.py checks whole builds)."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import _memo  # noqa: E402


def test_a_step_is_computed_once_per_inputs_and_its_result_cannot_be_altered():
    calls = []

    def compute():
        calls.append(1)
        return {"rows": [1, 2]}

    first = _memo.remember("test-step", ("a", 1), compute)
    first["rows"].append(3)  # a caller changing its copy changes nothing remembered
    again = _memo.remember("test-step", ("a", 1), compute)
    assert again == {"rows": [1, 2]} and len(calls) == 1
    _memo.remember("test-step", ("a", 2), compute)
    _memo.remember("other-step", ("a", 1), compute)
    assert len(calls) == 3


def test_a_change_of_the_code_is_a_new_key(tmp_path):
    code = tmp_path / "step.py"
    code.write_text("one = 1\n")
    calls = []
    _memo.remember("test-code", ("x",), lambda: calls.append(1), code=(code,))
    _memo.remember("test-code", ("x",), lambda: calls.append(1), code=(code,))
    code.write_text("one = 2  # edited\n")
    _memo.remember("test-code", ("x",), lambda: calls.append(1), code=(code,))
    assert len(calls) == 2


def test_a_value_that_cannot_be_stored_is_computed_every_time():
    calls = []

    def compute():
        calls.append(1)
        return lambda: None  # not picklable

    _memo.remember("test-unstorable", (), compute)
    _memo.remember("test-unstorable", (), compute)
    assert len(calls) == 2


def test_a_failing_step_is_not_remembered():
    calls = []

    def compute():
        calls.append(1)
        raise ValueError("bad input")

    for _ in range(2):
        try:
            _memo.remember("test-failing", (), compute)
        except ValueError:
            pass
    assert len(calls) == 2
