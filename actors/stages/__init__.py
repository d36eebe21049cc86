"""The stage actors of one generation: writer → scripts → {speech ‖ slides} → compose.

Each owns the channel ends it is handed; `base` holds what a stage is (`Stage[In, Out]`, whose
`run` is the ritual they share) and what it is given (`StageDeps`); `channels` the two joints
(`Tee`, `Joined`); `messages` the typed artifacts they pass each other.
"""
