"""The projects list's indexes in each order's direction, and across every scope

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 02:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The orders read newest first and by budget, highest first, then by id ascending: an index in that
# direction serves them whole; read backwards, an ascending one left every run of equal budgets to
# be sorted (3.4 s for a page of 100,000 projects of one budget on SQLite).
DESCENDING = {"budget": "budget", "created": "created_at"}
SCOPES = ("community", "district")
# An organisation's page (what it is eligible for or bid on: no one column scopes it) walks an
# order's index and stops at the page's end, instead of scanning and sorting every project.
ACROSS = {
    "budget": [sa.text("budget DESC"), "id"],
    "title": ["title", "id"],
    "created": [sa.text("created_at DESC"), "id"],
}


def upgrade() -> None:
    for scope in SCOPES:
        for order, column in DESCENDING.items():
            op.drop_index(f"ix_project_{scope}_{order}", table_name="project")
            op.create_index(
                f"ix_project_{scope}_{order}", "project", [f"{scope}_id", sa.text(f"{column} DESC"), "id"]
            )
    for order, columns in ACROSS.items():
        op.create_index(f"ix_project_{order}", "project", columns)


def downgrade() -> None:
    for order in reversed(ACROSS):
        op.drop_index(f"ix_project_{order}", table_name="project")
    for scope in reversed(SCOPES):
        for order, column in reversed(DESCENDING.items()):
            op.drop_index(f"ix_project_{scope}_{order}", table_name="project")
            op.create_index(f"ix_project_{scope}_{order}", "project", [f"{scope}_id", column, "id"])
