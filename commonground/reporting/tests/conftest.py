# The seeded demo, once per test class (see commonground/results/tests/test_demo.py).
from commonground.results.tests.test_demo import demo, seeded  # noqa: F401
