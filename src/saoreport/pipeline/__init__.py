"""One build step per SAO (batch), its documents, long documents in parts, and the cache."""
