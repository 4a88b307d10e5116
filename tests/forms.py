"""Submit admin forms the way a browser does: read the form's fields out of the page's HTML."""

from html.parser import HTMLParser

from django.urls import reverse


def change_url(article):
    """Return the address of a story's change form on the desk."""
    return reverse("admin:articles_article_change", args=[article.pk])


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self._textarea = None
        self._select = None
        self._select_chosen = None
        self._templates = 0  # inside <template>: inert markup a browser neither submits nor counts as a form

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._templates += 1
        if self._templates:
            return
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select, self._select_chosen = name, None
        elif tag == "option" and self._select and "selected" in attrs:
            self._select_chosen = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None and not self._templates:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._templates -= 1
        if self._templates:
            return
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self.fields.append((self._select, self._select_chosen or ""))
            self._select = None


def form_fields(html, form_id="article_form"):
    """Return the (name, value) pairs a browser would send for the form with this id."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return [(name, value) for name, value in reader.fields if "__prefix__" not in name]


def form_data(response, form_id="article_form", **changes):
    """Return the form on an admin page as a dict to post, with some fields changed."""
    data = dict(form_fields(response.content.decode(), form_id))
    data.update(changes)
    return data
