"""calendar keys stored hashed; rotated-away refresh tokens looked up by their hash

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 06:00:00

The refresh tokens a session rotated away move from the session's JSON list
(``previous_hashes``, searched by reading every live session) into a table
keyed by the token's hash.
"""

import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

import shared.db

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_key",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoke_reason", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    with op.batch_alter_table("calendar_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_key_account_id"), ["account_id"], unique=False)

    # Read the rotated-away hashes first: on SQLite, dropping the column rebuilds the session table,
    # which must not yet be referenced by the new one.
    connection = op.get_bind()
    at = datetime.now(timezone.utc)
    rows = []
    for session_id, previous in connection.execute(
        sa.text("SELECT id, previous_hashes FROM sign_in_session")
    ):
        hashes = json.loads(previous) if isinstance(previous, str) else (previous or [])
        rows.extend(
            {"token_hash": h, "session_id": session_id, "retired_at": at} for h in dict.fromkeys(hashes)
        )
    with op.batch_alter_table("sign_in_session", schema=None) as batch_op:
        batch_op.drop_column("previous_hashes")

    retired = op.create_table(
        "retired_refresh_token",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("retired_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sign_in_session.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("retired_refresh_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retired_refresh_token_session_id"), ["session_id"], unique=False)
    if rows:
        op.bulk_insert(retired, rows)


def downgrade() -> None:
    connection = op.get_bind()
    hashes: dict[str, list[str]] = {}
    for token_hash, session_id in connection.execute(
        sa.text("SELECT token_hash, session_id FROM retired_refresh_token ORDER BY retired_at")
    ):
        hashes.setdefault(session_id, []).append(token_hash)
    with op.batch_alter_table("retired_refresh_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retired_refresh_token_session_id"))
    op.drop_table("retired_refresh_token")

    with op.batch_alter_table("sign_in_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_hashes", sa.JSON(), nullable=True))
    sessions = sa.table("sign_in_session", sa.column("id", sa.String), sa.column("previous_hashes", sa.JSON))
    for session_id in connection.execute(sa.text("SELECT id FROM sign_in_session")).scalars().all():
        connection.execute(
            sessions.update()
            .where(sessions.c.id == session_id)
            .values(previous_hashes=hashes.get(session_id, []))
        )
    with op.batch_alter_table("sign_in_session", schema=None) as batch_op:
        batch_op.alter_column("previous_hashes", existing_type=sa.JSON(), nullable=False)

    with op.batch_alter_table("calendar_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_key_account_id"))
    op.drop_table("calendar_key")
