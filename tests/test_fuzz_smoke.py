"""The fuzz target of tests/fuzz keeps working: a few cases of each (the
10 000-case run is outside the suite; see tests/fuzz/fuzz_inputs.py)."""

from __future__ import annotations

from fuzz.fuzz_inputs import run


def test_the_fuzz_target_runs_and_meets_only_success_or_clear_errors():
    result = run(60)
    assert result["cases"] >= 60
    assert result["ok"] + result["input_error"] == result["cases"]
