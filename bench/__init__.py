"""Benchmarks: each measures our code and a baseline side by side in the same run.

Run all with `python -m bench` (or `make bench`); `--smoke` runs tiny sizes so CI checks
that every benchmark still works without timing anything meaningful.
"""
