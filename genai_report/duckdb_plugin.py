"""The dbt-duckdb plugin that opens every dbt connection within :mod:`genai_report.duckdb_settings`.

A module of its own because importing dbt-duckdb's plugin base takes about a second: the build's
up-to-date check and the ministries' validate use the settings without importing dbt.
"""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin

from genai_report.duckdb_settings import settings


class Plugin(BasePlugin):
    """The database dbt opens gets the settings as it is opened (set once, in the connect
    configuration: a SET on each new cursor while another runs a query is not safe)."""

    def update_connection_config(self, creds, config: dict) -> None:
        config.update(settings())
