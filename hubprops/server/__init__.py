"""``hubprops serve``: the original sync service's HTTP API as a thin shell over plan + apply.

``create_app(settings)`` (``app``) builds the FastAPI app: JWT auth (``auth``), the sync bridge
to the core (``sync``: plan the scope, apply its non-destructive changes under the shared apply
guard, answer in the original shapes), the SQLite audit log (``audit``), the scheduler
(``scheduler``), Prometheus metrics (``metrics``), response models (``schemas``) and the
handlers that give every error the documented ``{success, error, details, status_code}`` shape
(``errors``). Importing this package needs the ``hubprops[server]`` extra.
"""

from hubprops.server.app import create_app
from hubprops.server.settings import AuthSettings, ServerSettings, parse_every

__all__ = ["AuthSettings", "ServerSettings", "create_app", "parse_every"]
