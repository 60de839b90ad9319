"""The one way the server writes JSON text to store: compact, key order kept, UTF-8.

Computed fields (an intake's weekly income, say) are left out: what is stored
is what was given, and it reads back into the same model.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel


def dumps(value: BaseModel | Any) -> str:
    if isinstance(value, BaseModel):
        return value.model_dump_json(exclude_computed_fields=True)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
