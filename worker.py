"""Every actor, for the production processes: `dramatiq worker` and `TZ=Asia/Shanghai periodiq worker`.

Both look the broker up as Dramatiq's global one after importing this module, so it is set here,
in the worker process only; the app itself never relies on a global broker.
"""

import dramatiq

from app import create_app
from core.settings import get_settings

app = create_app(get_settings())
broker = app.state.broker
dramatiq.set_broker(broker)

__all__ = ["app", "broker"]
