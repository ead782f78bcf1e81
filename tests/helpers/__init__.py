"""Fakes and helpers shared by the tests of several packages.

- ``clock``: ``FakeClock``, the one fake clock (monotonic seconds, sleep, wall time).
- ``apply``: definitions folders written on the fly, a client on an in-process sandbox, plans,
  lock checks (applier, apply command, reliability and benchmark tests).
- ``cli``: running ``hubprops`` in a subprocess whose reader leaves early.
"""
