"""Distribution: what other machines read, feeds, sitemaps and the ninjs API."""
