"""Request-scoped dependencies shared by every router."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Depends, Header, Request

from service.application import auth
from service.application.auth import Principal
from service.bootstrap import Container

JsonBody = Annotated[dict[str, Any], Body()]


def container_of(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def current_principal(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> Principal:
    with container_of(request).db.transaction(read_only=True) as session:
        return auth.authenticate(session, authorization)


Caller = Annotated[Principal, Depends(current_principal)]
Wired = Annotated[Container, Depends(container_of)]
