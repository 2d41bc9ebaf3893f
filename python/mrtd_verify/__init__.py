"""Travel document verification from Python: the MRZ read and checked
(ICAO Doc 9303), forgery checks on the scan, a verdict with evidence.

>>> import mrtd_verify
>>> v = mrtd_verify.Verifier({"reference_date": "2010-01-01"})
>>> r = v.verify_text("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\\n"
...                   "L898902C36UTO7408122F1204159ZE184226B<<<<<10", source="desk-1")
>>> r["verdict"], r["mrz"]["fields"]["document_number"]
('pass', 'L898902C3')

Reports are the dicts of the JSON the ``scan`` CLI prints (its schema is
``schema/report.schema.json`` in the repository); the ``*_json`` methods
give that JSON text itself. The work runs in Rust with the GIL released:
threads verify in parallel, and ``verify_files`` spreads a batch over the
cores.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

from ._native import Verifier as _Native
from ._native import __version__

__all__ = ["Verifier", "__version__"]

Report = Dict[str, Any]


class Verifier:
    """A verifier: create it once (it loads the bundled models, about
    40 ms) and share it between threads.

    ``config`` is a mapping (or its JSON text) of the Rust ``Config``'s
    fields, each optional: ``reference_date`` ("YYYY-MM-DD"), ``repair``,
    ``limits``, ``thresholds``. An unknown field raises ``ValueError``.
    """

    def __init__(self, config: Union[Mapping[str, Any], str, None] = None) -> None:
        text = json.dumps(dict(config)) if isinstance(config, Mapping) else config
        self._native = _Native(text)

    def verify_image_json(
        self, visible: bytes, ir: Optional[bytes] = None, uv: Optional[bytes] = None, source: str = ""
    ) -> str:
        """The report of a scan (encoded image bytes, with its infrared and
        ultraviolet companions when the reader gives them), as JSON text."""
        return self._native.verify_image(bytes(visible), _opt_bytes(ir), _opt_bytes(uv), source)

    def verify_image(
        self, visible: bytes, ir: Optional[bytes] = None, uv: Optional[bytes] = None, source: str = ""
    ) -> Report:
        """The report of a scan, as a dict. An image that cannot be read is
        still a report: ``verdict`` is ``"unreadable"`` and ``error`` says why."""
        return json.loads(self.verify_image_json(visible, ir, uv, source))

    def verify_text_json(self, text: str, source: str = "") -> str:
        """The report of MRZ text (one document, lines separated by
        newlines), as JSON text."""
        return self._native.verify_text(text, source)

    def verify_text(self, text: str, source: str = "") -> Report:
        """The report of MRZ text, as a dict."""
        return json.loads(self.verify_text_json(text, source))

    def verify_files_json(self, paths: Iterable[Union[str, os.PathLike]]) -> List[str]:
        """Reports of image files, read and judged in parallel; ``NAME-ir.*``
        and ``NAME-uv.*`` go with ``NAME.*`` as companions. One JSON text per
        document, in the order of the visible images."""
        return self._native.verify_files([os.fspath(p) for p in paths])

    def verify_files(self, paths: Iterable[Union[str, os.PathLike]]) -> List[Report]:
        """Reports of image files, as dicts (see ``verify_files_json``)."""
        return [json.loads(r) for r in self.verify_files_json(paths)]


def _opt_bytes(b: Optional[bytes]) -> Optional[bytes]:
    return None if b is None else bytes(b)
