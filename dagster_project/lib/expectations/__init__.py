"""Great Expectations suites, one module per source, as code-reviewed Python lists."""
