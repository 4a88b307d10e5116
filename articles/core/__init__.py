"""The core: text, sanitizing, images, limits, web addresses, times and natural keys; models import only this."""
