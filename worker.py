"""Every actor, for the production processes: `dramatiq worker` and `TZ=Asia/Shanghai periodiq worker`."""

import app  # noqa: F401  (imports each package's tasks)
from core import schedule  # noqa: F401
from core.broker import broker

__all__ = ["broker"]
