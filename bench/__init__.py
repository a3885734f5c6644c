"""SalesLens benchmark (not part of the test suite): ``python -m bench.run``; see bench/README.md."""
