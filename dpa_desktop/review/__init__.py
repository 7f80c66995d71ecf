"""The review before signing ("Aandachtspunten"), the letter to the processor and the breach card.

Core, no Qt: the CLI prints and renders it; the GUI's review page calls
``review.build_review`` and shows the same points, and ``review.letter`` writes
the "Vragen aan de verwerker". The package imports nothing itself: the form
loader uses ``review.clauses`` at every fill, which must not pay for the rest.
"""
