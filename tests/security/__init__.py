"""Security tests; a package so the page walk (tests/pagewalk.py) can import the matrix."""
