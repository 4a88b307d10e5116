"""The editors' desk in the Django admin."""

from django.contrib import admin
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.html import format_html

from articles.models import (
    Article,
    Authorship,
    Correction,
    Image,
    Mention,
    Person,
    RelatedLink,
    Section,
    TaggedArticle,
)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    ordering = ["position", "path"]
    list_display = ["name", "path", "parent", "position", "article_count"]
    list_editable = ["position"]
    list_select_related = ["parent"]
    search_fields = ["name", "path"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "parent", "description", "position", "path"]
    readonly_fields = ["path"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("articles"))

    @admin.display(description="Stories", ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    ordering = ["name", "pk"]
    list_display = ["name", "job_title", "affiliation", "mention_count"]
    search_fields = ["name", "aliases", "job_title", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "affiliation", "photo"]}),
        ("Biography", {"fields": ["bio"]}),
        ("Other spellings", {"fields": ["aliases"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_mention_count=Count("mentions", distinct=True))

    @admin.display(description="Stories mentioning", ordering="_mention_count")
    def mention_count(self, obj):
        return obj._mention_count


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "size", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    search_fields = ["caption", "alt_text", "credit"]
    date_hierarchy = "created_at"
    fields = ["file", "alt_text", "caption", "credit", "size", "key"]
    readonly_fields = ["size", "key"]

    @admin.display(description="Picture")
    def thumbnail(self, obj):
        if not obj.file:
            return "—"
        return format_html('<img src="{}" alt="" width="80" loading="lazy">', obj.file.url)

    @admin.display(description="Pixels")
    def size(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width else "no file (caption only)"


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "position"]
    verbose_name = "byline"
    verbose_name_plural = "byline"


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "title", "position"]
    verbose_name = "person mentioned"
    verbose_name_plural = "people mentioned"


class TaggedArticleInline(admin.TabularInline):
    model = TaggedArticle
    extra = 0
    autocomplete_fields = ["tag"]
    verbose_name = "tag"
    verbose_name_plural = "tags"


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target_article"]
    fields = ["position", "kind", "title", "target_article", "url", "anchor_block"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "text", "published_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status_label", "primary_section", "bylines", "published_at", "updated_at"]
    list_filter = ["status", "primary_section", ("authors", admin.RelatedOnlyFieldListFilter), "published_at"]
    list_select_related = ["primary_section"]
    search_fields = ["headline", "dek", "body", "people__name", "authors__name", "guid", "source_id"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["primary_section", "lead_image"]
    readonly_fields = ["guid", "version", "last_modified"]
    inlines = [AuthorshipInline, MentionInline, TaggedArticleInline, RelatedLinkInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "primary_section", "body"]}),
        ("Lead picture", {"fields": ["lead_image", "lead_image_caption"]}),
        ("Publication", {"fields": ["status", "published_at", "embargo_until", "updated_at"]}),
        ("Wire", {"fields": ["dateline", "source", "source_id"], "classes": ["collapse"]}),
        ("Search engines", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
        ("Record", {"fields": ["guid", "version", "last_modified"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("authorships", queryset=Authorship.objects.select_related("person")))
        )

    @admin.display(description="Byline")
    def bylines(self, obj):
        return ", ".join(a.person.name for a in obj.authorships.all()) or "—"

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        now = timezone.now()
        if obj.status == Article.Status.PUBLISHED and obj.published_at and obj.published_at > now:
            return f"Scheduled for {timezone.localtime(obj.published_at):%d %b %Y %H:%M}"
        if obj.status == Article.Status.PUBLISHED and obj.embargo_until and obj.embargo_until > now:
            return f"Embargoed until {timezone.localtime(obj.embargo_until):%d %b %Y %H:%M}"
        return obj.get_status_display()


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "published_at"]
    list_filter = ["kind", "published_at"]
    list_select_related = ["article"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article"]
    date_hierarchy = "published_at"


@admin.register(RelatedLink)
class RelatedLinkAdmin(admin.ModelAdmin):
    list_display = ["title", "article", "kind", "position", "destination"]
    list_filter = ["kind"]
    list_select_related = ["article", "target_article"]
    search_fields = ["title", "url", "article__headline"]
    autocomplete_fields = ["article", "target_article"]

    @admin.display(description="Goes to")
    def destination(self, obj):
        return obj.target_article or obj.url
