"""The benchmark behind `make bench` (see README.md, "Performance"). Not imported by the site."""
