"""Example fwbm-bench plugin: a node model (Montbrio-Pazo-Roxin) and an entry that uses it."""
