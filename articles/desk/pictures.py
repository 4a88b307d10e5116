"""The desk's picture chooser: a searchable grid of thumbnails in a dialog, with an upload inside it.

The story form's lead picture is a hidden value beside a thumbnail of the chosen picture and a button
that opens the dialog (static/js/desk-pictures.js). The grid and the upload answer from two staff-only
views under the Image admin, as HTML fragments drawn by templates; an upload goes through the Image
admin's own form, so it is checked as an upload on the Image list is, and asks for alt text besides.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from articles.models import Image

# Pictures a page of the grid shows: four rows of six on a desktop, and a page a phone scrolls quickly.
PER_PAGE = 24
UPLOAD_PREFIX = "picture"
UPLOAD_FIELDS = ["file", "alt_text", "caption", "credit"]
UPLOAD_TEMPLATE = "admin/articles/image/chooser_upload.html"


def thumbnail_url(image):
    """Return the address of the smallest JPEG rendition of a picture (its file if it has none), or ""."""
    if not image.file:
        return ""
    jpegs = [r for r in image.renditions if r.get("format") == "jpeg"]
    if not jpegs:
        return image.file.url
    return image.file.storage.url(min(jpegs, key=lambda r: r["width"])["name"])


def picture_context(image):
    """Return what the desk's templates show of one picture: thumbnail, words, and whether it is caption-only."""
    return {
        "pk": image.pk,
        "thumbnail": thumbnail_url(image),
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "caption_only": not image.file,
        # What the grid names the picture by: its alt text, or its caption where it has none.
        "label": image.alt_text or image.caption or image.key,
    }


def list_thumbnail(image):
    """Return the Image list's picture column: a thumbnail, or the words saying it is a caption-only picture."""
    if not image.file:
        return format_html('<span class="picture-caption-only">{}</span>', gettext("Caption only (no file)"))
    return format_html('<img src="{}" alt="" width="80" loading="lazy">', thumbnail_url(image))


class PictureChooser(forms.Widget):
    """The lead picture's field on the story form: the chosen picture's thumbnail and a chooser dialog."""

    template_name = "articles/desk/picture_chooser.html"  # in the app, where the form renderer looks

    class Media:
        css = {"all": ["css/desk.css"]}
        js = ["js/desk-pictures.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = None
        if value not in (None, ""):
            found = Image.objects.filter(pk=value).first() if str(value).isdigit() else None
            chosen = picture_context(found) if found else None
        context["widget"].update(
            {
                "chosen": chosen,
                "chooser_url": reverse("admin:articles_image_chooser"),
                "upload_url": reverse("admin:articles_image_chooser_upload"),
            }
        )
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class ChoosesLeadPicture:
    """A story admin whose lead picture is chosen in the picture chooser, not an autocomplete box or popup."""

    picture_field = "lead_image"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name != self.picture_field:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        # Not wrapped in the admin's add/change popup links: the chooser uploads inside its own dialog.
        return db_field.formfield(widget=PictureChooser())


def upload_form_class(image_admin, request):
    """Return the Image admin's form for an upload in the chooser: a file and alt text are required there."""
    base = image_admin.get_form(request, fields=UPLOAD_FIELDS)

    class ChooserUploadForm(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, prefix=UPLOAD_PREFIX, **kwargs)
            # A new picture has no file to clear: a plain file input, named by its <label>. (On Django 6.1
            # the admin's clearable widget groups itself in a fieldset whose legend labels no input.)
            self.fields["file"].widget = forms.FileInput(attrs=self.fields["file"].widget.attrs)
            self.fields["file"].required = True
            self.fields["alt_text"].required = True

    return ChooserUploadForm


class PictureChooserViews:
    """The chooser's grid and upload, as staff-only views of the Image admin (mixed into ImageAdmin)."""

    def get_urls(self):
        return [
            path("chooser/", self.admin_site.admin_view(self.chooser_view), name="articles_image_chooser"),
            path(
                "chooser/upload/",
                self.admin_site.admin_view(self.chooser_upload_view),
                name="articles_image_chooser_upload",
            ),
            *super().get_urls(),
        ]

    def chooser_view(self, request):
        """Return a page of the grid: pictures matching the words asked for (caption, alt text, credit, file name)."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()[:200]
        pictures = Image.objects.all()
        if query:
            pictures, _ = self.get_search_results(request, pictures, query)
        page = Paginator(pictures.order_by("-created_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "pictures": [picture_context(image) for image in page],
            "page": page,
            "query": query,
            "chosen": request.GET.get("chosen", ""),
        }
        return TemplateResponse(request, "admin/articles/image/chooser_results.html", context)

    def chooser_upload_view(self, request):
        """Answer GET with the empty upload fields; POST by storing the picture and answering with its grid
        item (201), or with the upload fields and their errors (400)."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        form_class = upload_form_class(self, request)
        if request.method == "GET":
            return TemplateResponse(request, UPLOAD_TEMPLATE, {"form": form_class()})
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            return TemplateResponse(request, UPLOAD_TEMPLATE, {"form": form}, status=400)
        image = form.save()
        self.log_addition(request, image, [{"added": {}}])
        context = {"picture": picture_context(image), "chosen": str(image.pk)}
        return TemplateResponse(request, "admin/articles/image/chooser_item.html", context, status=201)
