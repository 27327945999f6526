"""What the verbs write to stdout: JSON that is always valid, text that always prints.

`json.dump` writes `NaN` and `Infinity` for non-finite floats, which no JSON
parser accepts, and a strict UTF-8 stdout (PYTHONIOENCODING=utf-8:strict)
raises halfway through a document holding a file name that is not UTF-8.
Both are handled here once, for `inspect`, `simulate` and `optimize`.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping
from typing import IO, Any

from planner.errors import printable


def json_safe(value: Any) -> Any:
    """`value` with non-finite floats as None and numpy scalars and arrays as plain Python.

    Strings keep their text; a lone surrogate (an undecodable byte of a file
    name) becomes U+FFFD so the document stays valid UTF-8.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if isinstance(value, bool | int) or value is None:
        return value
    if isinstance(value, Mapping):
        return {json_safe(k) if isinstance(k, str) else k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays
    if callable(tolist):
        return json_safe(tolist())
    return value


def write_json(doc: Any, *, indent: int | None = None, stream: IO[str] | None = None) -> None:
    """Write `doc` as one JSON document and a newline, never NaN/Infinity, never half a document.

    The text is built whole before anything is written; if the stream's
    encoding cannot hold it (an ASCII locale), it is written with \\u escapes.
    """
    stream = sys.stdout if stream is None else stream
    clean = json_safe(doc)
    text = json.dumps(clean, ensure_ascii=False, allow_nan=False, indent=indent)
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        text = json.dumps(clean, ensure_ascii=True, allow_nan=False, indent=indent)
    stream.write(text + "\n")


def write_text(text: str, stream: IO[str] | None = None) -> None:
    """Write a verb's report: line breaks and tabs kept, every other control character escaped.

    File names end up in reports; an ANSI escape in one must not recolour
    the terminal, and an undecodable byte must not crash a strict stream.
    """
    stream = sys.stdout if stream is None else stream
    safe = "\n".join(
        "\t".join(printable(part) for part in line.split("\t")) for line in text.split("\n")
    )
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        safe.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        safe = safe.encode(encoding, "backslashreplace").decode(encoding, "replace")
    stream.write(safe)
