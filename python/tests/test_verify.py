"""The Python package against the library's own behaviour: reports as the
CLI gives them, errors as exceptions, the GIL released."""

import json
import os
import threading
from pathlib import Path

import pytest

import mrtd_verify

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "specimens"
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def untimed(report):
    """A report without its timings, which differ from run to run."""
    if isinstance(report, dict):
        return {k: untimed(v) for k, v in report.items() if k not in ("timings_ms", "ms")}
    if isinstance(report, list):
        return [untimed(v) for v in report]
    return report


@pytest.fixture(scope="module")
def verifier():
    return mrtd_verify.Verifier({"reference_date": "2026-06-01"})


def test_text_report(verifier):
    r = verifier.verify_text(TD3, source="desk-1")
    assert r["source"] == "desk-1"
    assert r["mrz"]["fields"]["document_number"] == "L898902C3"
    # Expired by 2026: referred, never passed.
    assert r["verdict"] == "refer"
    assert any(f["check"] == "mrz.expiry" and f["status"] == "warn" for f in r["findings"])


def test_an_altered_digit_fails(verifier):
    altered = TD3.replace("7408122", "7408123")
    r = verifier.verify_text(altered)
    assert r["verdict"] == "fail"
    assert any(f["check"] == "mrz.check_digit.birth_date" and f["status"] == "fail" for f in r["findings"])


def test_configuration_errors_raise():
    with pytest.raises(ValueError, match="uv_max_papr"):
        mrtd_verify.Verifier({"thresholds": {"uv_max_papr": 1}})
    with pytest.raises(ValueError):
        mrtd_verify.Verifier("{not json")


def test_image_with_companions(verifier):
    read = lambda name: (FIXTURES / name).read_bytes()
    r = verifier.verify_image(read("2026-00000.jpg"), ir=read("2026-00000-ir.png"), uv=read("2026-00000-uv.png"),
                              source="2026-00000.jpg")
    assert r["scan"]["bands"] == ["visible", "ir", "uv"]
    ran = {c["family"]: c for c in r["checks"]}
    assert "reason" not in ran["ir"] or ran["ir"]["reason"] is None
    junk = verifier.verify_image(b"not an image")
    assert junk["verdict"] == "unreadable" and junk["error"]["kind"]


def test_files_match_single_calls_and_pair_companions(verifier):
    paths = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".jpg", ".png"))
    reports = verifier.verify_files(paths)
    visible = [p for p in paths if not p.stem.endswith(("-ir", "-uv"))]
    assert [r["source"] for r in reports] == [str(p) for p in visible]
    first = reports[0]
    assert first["scan"]["bands"] == ["visible", "ir", "uv"]
    alone = verifier.verify_image(visible[1].read_bytes(), source=str(visible[1]))
    assert untimed(alone) == untimed(reports[1])


def test_threads_share_one_verifier(verifier):
    """Many Python threads at once (the GIL is released inside): each gets
    the report a single call gives."""
    expected = untimed(verifier.verify_text(TD3))
    data = (FIXTURES / "2026-00001.jpg").read_bytes()
    image_expected = untimed(verifier.verify_image(data))
    errors = []

    def work():
        try:
            for _ in range(3):
                assert untimed(verifier.verify_text(TD3)) == expected
                assert untimed(verifier.verify_image(data)) == image_expected
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_json_is_the_rust_report(verifier):
    text = verifier.verify_text_json(TD3, source="x")
    assert "\n" not in text
    assert json.loads(text)["source"] == "x"
    assert mrtd_verify.__version__ == "0.1.0"
