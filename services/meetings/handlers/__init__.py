"""Use cases of the meetings service, one module per part of the work: ``directory`` (places and
parties), ``meetings`` (convening and reading joint meetings), ``series`` (regular meetings),
``agenda``, ``resolutions`` (and the parties' positions), ``minutes`` (and the public notice
board), ``action_items``, ``polls`` (finding a time), and ``access``: who sees what, as SQL.

Each use case is one unit of work, takes the clock it runs at and a typed command
(``services.meetings.commands``), and leaves the rules to ``services.meetings.domain``.
"""
