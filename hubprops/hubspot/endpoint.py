"""Where requests go and whose portal it is: checked before any request that matters.

``resolve_portal`` decides the portal once: HubSpot's account details win whenever the token
can read them; ``--portal`` only fills in when it cannot (a token without the scope), and a
``--portal`` that disagrees with HubSpot is refused naming both, so a plan for one portal is
never applied to another and recorded under the first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hubprops.errors import NotFound, PermissionDenied, RemoteError, WrongPortal

if TYPE_CHECKING:
    from hubprops.hubspot.client import HubSpotClient

__all__ = ["resolve_portal"]


def resolve_portal(client: HubSpotClient, given: int | None) -> int:
    """The portal behind ``client``: HubSpot's answer when it gives one (WrongPortal if
    ``given`` differs), else ``given``. Without ``given``, HubSpot's refusal is raised."""
    try:
        actual = client.get_portal_id()
    except (PermissionDenied, NotFound):
        if given is None:
            raise
        return given
    except RemoteError as exc:  # answered, but without a portalId
        if given is None or type(exc) is not RemoteError:
            raise
        return given
    if given is not None and given != actual:
        raise WrongPortal(
            f"--portal {given} does not match the portal this token is for ({actual}); "
            f"drop --portal, or use the token of portal {given}"
        )
    return actual
