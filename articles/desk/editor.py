"""The story body in the desk: a rich-text editor over the textarea, paragraphs from plain text, link search.

The browser side is static/js/desk-editor.js, built on the Tiptap bundle that django-prose-editor ships
as static files. Whatever the browser sends, the model's save() passes the body through
articles.core.sanitize, which stays the guarantee that stored HTML is within the allowlist.
"""

import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse

# A body holding any of these is HTML already and is left exactly as it is.
BLOCK_TAG = re.compile(
    r"<\s*(?:p|h[1-6]|ul|ol|li|blockquote|div|pre|table|figure|hr|section|article|aside|dl)\b", re.IGNORECASE
)
BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")
LINK_SEARCH_RESULTS = 8


def paragraphs_from_text(text: str) -> str:
    """Return a body typed without block tags as <p> paragraphs split at blank lines; HTML comes back as it was.

    A single line break inside a paragraph is kept as <br>, as the writer saw it (an address, a verse).
    Inline tags typed by hand stay; the model's sanitizer deals with anything else.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip() or BLOCK_TAG.search(text):
        return text
    paragraphs = (part.strip() for part in BLANK_LINE.split(text))
    return "\n".join("<p>" + "<br>\n".join(p.splitlines()) + "</p>" for p in paragraphs if p)


class BodyField(forms.CharField):
    """The body as posted: browsers send a textarea's line breaks as CRLF, and plain text becomes paragraphs."""

    def to_python(self, value):
        value = super().to_python(value)
        return paragraphs_from_text(value) if value else value


class BodyEditor(forms.Textarea):
    """The textarea, with a toolbar that static/js/desk-editor.js turns into a rich-text editor.

    Without JavaScript the textarea is all there is, and BodyField makes paragraphs of what is typed.
    """

    template_name = "articles/desk/body_editor.html"

    class Media:
        css = {"all": ["css/desk.css"]}
        js = [forms.Script("js/desk-editor.js", type="module")]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["link_search_url"] = reverse("admin:articles_article_link_search")
        return context


def link_search(request):
    """Answer the editor's link box: stories whose headline has every word typed, with their public address.

    Staff only (the admin site's login wraps it); a user who may not see stories in the desk gets 403.
    """
    from articles.models import Article

    if not (request.user.has_perm("articles.view_article") or request.user.has_perm("articles.change_article")):
        raise PermissionDenied
    words = request.GET.get("q", "").split()[:6]
    if not words:
        return JsonResponse({"results": []})
    matching = Q()
    for word in words:
        matching &= Q(headline__icontains=word)
    stories = Article.objects.filter(matching)
    if request.GET.get("published"):
        stories = stories.published()
    stories = stories.select_related("primary_section").order_by("-published_at", "-pk")[:LINK_SEARCH_RESULTS]
    results = [
        {
            "headline": story.headline,
            "url": story.get_absolute_url(),
            "status": story.get_status_display(),
            "public": story.is_public(),
        }
        for story in stories
    ]
    return JsonResponse({"results": results})
