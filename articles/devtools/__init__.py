"""Development tools: the demo generator, the benchmark and the soak test; the production profile leaves them out."""
