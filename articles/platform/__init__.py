"""The platform under the site: the page cache, security headers and limits, resilience and database statistics."""
