"""Use cases of the volunteers service, one module per part of the work, each use case in one unit
of work at its clock's time: ``registry`` (volunteers and buildings), ``availability`` (a
volunteer's own settings), ``teams``, ``requests``, ``dispatch``, ``offers``, ``shifts``, ``hours``,
``points``, ``rewards``, ``reports`` and the time-driven ``deadlines``; ``access`` holds who sees
and may do what, as SQL conditions."""
