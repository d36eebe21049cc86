"""The stage actors of one generation: writer → scripts → speech → slides → compose.

Each owns the channel ends it is handed; `base` holds what every stage is given (`StageDeps`)
and how a supervisor runs one; `messages` the typed artifacts they pass each other.
"""
