"""Text tools every stage shares: Arabic-aware normalisation (``normalize``), numbers
and quantities (``numbers``), dates (``dates``) and the one negator list (``negation``).
Submodules are imported directly; this package re-exports nothing, so importing one
does not load the others."""
