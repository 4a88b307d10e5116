"""The core: text, sanitizing, images, limits, web addresses, times, URLs, natural keys; models import only this."""
