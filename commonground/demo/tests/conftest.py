# The seeded demo, once per test class (see commonground/demo/tests/test_results.py).
from commonground.demo.tests.test_results import demo, seeded  # noqa: F401
