"""Reference Tianshou solutions for the peerzoo tasks, run from a clone."""
