"""A test-only app: the ``probe`` job and its effect table, for the tests that prove effects
happen exactly once (several real worker processes, one killed mid-batch). Installed by the
test settings (:mod:`probeapp.settings`) only, never by production's."""
