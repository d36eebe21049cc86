"""The runtime on Trio: the registry, one supervisor per generation, admission, broadcast.

Who owns what: `run.run_runtime` owns the store and the media workers; `registry.run_registry`
owns the nursery every generation runs in; `supervisor.run_generation` owns one generation's
nursery and is the only place its outcome becomes the terminal event.
"""
