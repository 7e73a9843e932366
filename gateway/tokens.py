"""Signed access tokens: who the account is and which party it acts for."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jwt

from shared import config
from shared.errors import PermissionDenied
from shared.identity import Principal
from shared.vocabulary.gateway import ErrorCode

ALGORITHM = "HS256"
ISSUER = "gongzhi"
ACCESS_LIFETIME = timedelta(minutes=15)


def issue_token(
    principal: Principal, lifetime: timedelta = ACCESS_LIFETIME, secret: str | None = None
) -> str:
    issued = datetime.now(timezone.utc)
    claims = {
        "iss": ISSUER,
        "sub": principal.account_id,
        "iat": issued,
        "exp": issued + lifetime,
        "typ": "access",
        **{k: v for k, v in principal.to_dict().items() if k != "account_id"},
    }
    return jwt.encode(claims, secret or config.token_secret(), algorithm=ALGORITHM)


def verify_token(token: str, secret: str | None = None) -> Principal:
    try:
        claims = jwt.decode(
            token,
            secret or config.token_secret(),
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise PermissionDenied("the access token has expired", code=ErrorCode.TOKEN_EXPIRED) from None
    except jwt.InvalidTokenError:
        raise PermissionDenied("the access token is not valid", code=ErrorCode.INVALID_TOKEN) from None
    if claims.get("typ") != "access":
        raise PermissionDenied("not an access token", code=ErrorCode.INVALID_TOKEN)
    return Principal.from_dict({**claims, "account_id": claims["sub"]})
