"""Use cases of the matching service, one module per part of the work; ``access`` holds who sees what."""
