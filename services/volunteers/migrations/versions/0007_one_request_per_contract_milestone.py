"""One request per contract milestone: a milestone's call for volunteers announced again opens nothing

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 02:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A milestone asked twice before this revision has two requests: the first opened keeps the
    # link, the later ones stay (their offers and shifts with them) but no longer stand for it.
    op.execute(
        sa.text(
            "UPDATE service_request SET milestone_id = NULL WHERE milestone_id IS NOT NULL AND EXISTS ("
            " SELECT 1 FROM service_request AS earlier WHERE earlier.milestone_id = service_request.milestone_id"
            " AND (earlier.opened_at < service_request.opened_at"
            " OR (earlier.opened_at = service_request.opened_at AND earlier.id < service_request.id)))"
        )
    )
    # An index, not a table constraint: SQLite adds it in place (copying service_request would trip
    # the foreign keys of its children's rows).
    op.create_index("ix_service_request_milestone_id", "service_request", ["milestone_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_service_request_milestone_id", table_name="service_request")
