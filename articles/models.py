"""The newsroom content model: sections, people, images, articles and what hangs off them."""

import datetime
import secrets
import uuid

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.core import events, images, limits, natural_keys, outbound
from articles.core.limits import EARLIEST, EARLIEST_YEAR, LATEST, LATEST_YEAR, TimeOutOfRange, check_moment
from articles.core.sanitize import clean_html
from articles.core.text import ascii_slug, search_url, title_key
from articles.core.urlcache import fast_reverse
from articles.core.weburl import UnsafeURL, checked_url, is_safe_url

# First path segments the site itself uses; a top-level section may not take them.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin",
        "api",
        "articles",
        "archive",
        "corrections",
        "feeds",
        "media",
        "people",
        "preview",
        "robots.txt",
        "search",
        "sitemap.xml",
        "sitemaps",
        "static",
        "tags",
    }
)


def now_ms():
    """Return the time now to the millisecond: what a JSON dump keeps, so dump → load → dump is identical."""
    moment = timezone.now()
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def to_milliseconds(sender, instance, **kwargs):
    """Cut every time a row of ours is saved with to whole milliseconds (Django's JSON dump keeps no more)."""
    if sender._meta.app_label != "articles":
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            value = getattr(instance, field.attname)
            if isinstance(value, datetime.datetime) and value.microsecond % 1000:
                setattr(instance, field.attname, value.replace(microsecond=value.microsecond // 1000 * 1000))


def within_time_bounds(value):
    """Refuse a story time outside the years of articles.core.limits, with a message for the desk."""
    try:
        check_moment(value)
    except TimeOutOfRange:
        raise ValidationError(
            f"Choose a time between the years {EARLIEST_YEAR} and {LATEST_YEAR}.", code="out_of_range"
        ) from None


def time_in_bounds(field, name):
    """Return the constraint that keeps a time column within articles.core.limits, for rows no form checked."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__range": (EARLIEST, LATEST)}), name=name
    )


def new_guid():
    """Return a fresh guid for a story written here rather than imported."""
    return f"urn:uuid:{uuid.uuid4()}"


def new_image_key():
    """Return a fresh key for an uploaded picture."""
    return uuid.uuid4().hex


class SectionManager(models.Manager):
    def get_by_natural_key(self, path):
        return natural_keys.find(self, path, path=path)

    def ensure(self, path, name=None):
        """Return the section at path, creating it and any missing parents; name is the last one's."""
        segments = [segment for segment in path.strip("/").split("/") if segment]
        if not segments:
            raise ValueError("a section path needs at least one segment")
        section = None
        for depth, slug in enumerate(segments, start=1):
            sub_path = "/".join(segments[:depth])
            default_name = name if depth == len(segments) and name else slug.replace("-", " ").title()
            section, _ = self.get_or_create(
                path=sub_path, defaults={"name": default_name, "slug": slug, "parent": section}
            )
        return section


class Section(models.Model):
    name = models.CharField(max_length=limits.SECTION_NAME_MAX_LENGTH)
    slug = models.SlugField(
        max_length=limits.SECTION_SLUG_MAX_LENGTH, help_text="The last part of the section's address."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Leave empty for a top-level section.",
    )
    path = models.CharField(
        max_length=limits.SECTION_PATH_MAX_LENGTH,
        unique=True,
        editable=False,
        help_text="The full address, such as news/middle-east; filled in from the parent and slug.",
    )
    description = models.TextField(blank=True, help_text="A sentence or two shown on the section front.")
    position = models.PositiveIntegerField(default=0, help_text="Lower numbers come first in menus.")

    objects = SectionManager()

    class Meta:
        ordering = ["position", "path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="section_unique_slug_in_parent"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(parent__isnull=True), name="section_unique_top_level_slug"
            ),
        ]

    def __str__(self):
        return self.path

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug
        super().save(*args, **kwargs)
        # A moved or renamed section carries its subsections' addresses with it.
        for child in self.children.all():
            if child.path != f"{self.path}/{child.slug}":
                child.save()

    def get_absolute_url(self):
        return fast_reverse("articles:section-detail", path=self.path)

    def natural_key(self):
        return (self.path,)

    def clean(self):
        if self.parent_id is None and self.slug in RESERVED_SECTION_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is used by the site itself; choose another slug."})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "A section cannot sit inside itself."})
            ancestor = ancestor.parent

    def ancestors(self):
        """Return the sections above this one, outermost first."""
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class IncomingFileDescriptor:
    """Django's descriptor for an image field that also keeps a file just assigned, until it is stored.

    A file name (a row read from the database or a fixture) names a file already in storage; a File
    object (an upload from the desk, a file code makes) is new, and is stored when the row is saved.
    The new one is kept as ``incoming_<field name>`` until then (PictureField.pre_save clears it).
    """

    def __init__(self, field):
        self.django = models.ImageField.descriptor_class(field)
        self.attname = field.attname
        self.incoming = f"incoming_{field.attname}"

    def __get__(self, instance, cls=None):
        return self.django.__get__(instance, cls)

    def __set__(self, instance, value):
        # Model.full_clean() reads each field and assigns the value back: that is no new file.
        unchanged = value is vars(instance).get(self.attname)
        self.django.__set__(instance, value)
        if not unchanged:
            new = isinstance(value, File) and not isinstance(value, FieldFile)
            setattr(instance, self.incoming, value if new else None)


class PictureField(models.ImageField):
    """An ImageField whose model can tell a newly assigned file from the one in storage."""

    descriptor_class = IncomingFileDescriptor

    def pre_save(self, model_instance, add):
        stored = super().pre_save(model_instance, add)
        # Django has stored any new file by now; the field holds the stored one.
        setattr(model_instance, f"incoming_{self.attname}", None)
        return stored

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        # Migrations see Django's own ImageField: the column and its options are the same.
        return name, "django.db.models.ImageField", args, kwargs


class ImageManager(models.Manager):
    def get_by_natural_key(self, key):
        return natural_keys.find(self, key, key=key)


class Image(models.Model):
    key = models.CharField(
        max_length=limits.IMAGE_KEY_MAX_LENGTH,
        unique=True,
        default=new_image_key,
        editable=False,
        help_text="A stable identifier used when images travel between databases.",
    )
    file = PictureField(
        upload_to="images/%Y/%m/",
        blank=True,
        width_field="width",
        height_field="height",
        help_text="Leave empty for a wire picture we only have the caption and credit of.",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(
        max_length=limits.ALT_TEXT_MAX_LENGTH,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it. Required before publishing.",
    )
    caption = models.TextField(blank=True, help_text="The default caption; an article may use its own.")
    credit = models.CharField(
        max_length=limits.CREDIT_MAX_LENGTH, blank=True, help_text="Photographer and/or agency, e.g. “AP”."
    )
    created_at = models.DateTimeField(default=now_ms, editable=False)
    renditions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Scaled copies for responsive pages, made once when the picture is uploaded.",
    )
    # Nullable without a default, so that SQLite adds the column in place: rebuilding articles_article
    # would drop the full-text triggers of migration 0002.
    import_record = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="What the last import set here (a digest per field), so a re-import keeps the desk's changes.",
    )

    objects = ImageManager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.caption[:80] or self.alt_text[:80] or self.key

    def save(self, *args, **kwargs):
        upload = getattr(self, "incoming_file", None) if self.file else None
        if upload is not None:
            kind, _width, _height = images.inspect(upload)
            self.file, self.renditions = images.store(upload, kind), []
            # Read by the post-save handler that queues the renditions (articles/platform/renditions.py).
            self.renditions_wanted = True
        super().save(*args, **kwargs)

    def srcset(self, format="jpeg"):
        """Return the srcset attribute value for one format of the renditions ("" when there are none)."""
        storage = self.file.storage
        return ", ".join(
            f"{storage.url(r['name'])} {r['width']}w" for r in self.renditions if r.get("format") == format
        )

    def largest_rendition(self, format="jpeg"):
        """Return the widest rendition of a format, or None."""
        found = [r for r in self.renditions if r.get("format") == format]
        return max(found, key=lambda r: r["width"]) if found else None

    def natural_key(self):
        return (self.key,)

    def clean(self):
        upload = getattr(self, "incoming_file", None) if self.file else None
        if upload is not None:
            try:
                images.inspect(upload)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from None


class PersonManager(models.Manager):
    def get_by_natural_key(self, slug):
        return natural_keys.find(self, slug, slug=slug)


class Person(models.Model):
    name = models.CharField(max_length=limits.PERSON_NAME_MAX_LENGTH)
    slug = models.SlugField(max_length=limits.PERSON_SLUG_MAX_LENGTH, unique=True, allow_unicode=True)
    job_title = models.CharField(max_length=limits.JOB_TITLE_MAX_LENGTH, blank=True)
    affiliation = models.CharField(max_length=limits.AFFILIATION_MAX_LENGTH, blank=True)
    bio = models.TextField(blank=True, help_text="A short biography; basic formatting is kept.")
    photo = models.ForeignKey(Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other spellings of the name seen in copy, so imports find this person.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name="desk account",
        help_text="The staff account of this person, if they work on the desk: their new stories start with "
        "their byline.",
    )
    # Nullable without a default, so that SQLite adds the column in place: rebuilding articles_article
    # would drop the full-text triggers of migration 0002.
    import_record = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="What the last import set here (a digest per field), so a re-import keeps the desk's changes.",
    )

    objects = PersonManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = ascii_slug(self.name, max_length=limits.PERSON_SLUG_MAX_LENGTH)
        self.bio = clean_html(self.bio)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return fast_reverse("articles:person-detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)


def is_public(status, published_at, embargo_until, *, now=None):
    """Tell whether a story with this status, publication time and embargo is one readers may see now."""
    now = now or timezone.now()
    return (
        status == Article.Status.PUBLISHED
        and published_at is not None
        and published_at <= now
        and (embargo_until is None or embargo_until <= now)
    )


def article_path(section_path, published_at, slug):
    """Return the address of a published story from its section's path, publication time and slug."""
    # The site's zone, whoever asks: the desk runs in the editor's own zone, and a story has one address.
    local = published_at.astimezone(timezone.get_default_timezone())
    return fast_reverse(
        "articles:article-detail",
        path=section_path,
        year=local.year,
        month=f"{local.month:02d}",
        day=f"{local.day:02d}",
        slug=slug,
    )


def short_path(slug):
    """Return a story's short link, /articles/<slug>/, which sends readers on to its full address."""
    return fast_reverse("articles:article-short", slug=slug)


class EditConflict(Exception):
    """Someone saved the story after this editor opened it; saving now would overwrite their work."""

    def __init__(self, article, opened_version):
        super().__init__(f"{article} was saved by someone else after version {opened_version} was opened")
        self.article = article
        self.opened_version = opened_version


# What a story's card in a list shows, and what its address and public check need.
CARD_FIELDS = (
    "headline",
    "slug",
    "dek",
    "status",
    "published_at",
    "embargo_until",
    "primary_section__name",
    "primary_section__slug",
    "primary_section__path",
)


# What a card shows of the story's lead picture: enough for an <img> with its renditions, never the caption.
CARD_PICTURE_FIELDS = (
    "lead_image__file",
    "lead_image__width",
    "lead_image__height",
    "lead_image__alt_text",
    "lead_image__renditions",
)


def public_q(prefix="", *, now=None):
    """Return the condition for stories a reader may see, on the story at prefix ("article__", …) or on articles.

    For rows that belong to a story (bylines, tags) it goes into one filter() with their other
    conditions, so that all of it holds for the same story.
    """
    now = now or timezone.now()
    return (Q(**{f"{prefix}embargo_until__isnull": True}) | Q(**{f"{prefix}embargo_until__lte": now})) & Q(
        **{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}published_at__lte": now}
    )


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Return the articles a reader may see: published, due, and out of embargo."""
        return self.filter(public_q(now=now))

    def for_listing(self):
        """Return the rows with what an article card shows, in one query, newest first.

        Only the card's columns: a list page of 60 cards would otherwise read and decode 60 bodies. The
        lead picture comes in the same query (a join on its key), never one query per card.
        """
        return (
            self.select_related("primary_section", "lead_image")
            .only(*CARD_FIELDS, *CARD_PICTURE_FIELDS)
            .order_by("-published_at", "-pk")
        )

    def for_story(self):
        """Return the rows with the section and lead picture a story's page shows beside its own fields."""
        return self.select_related("primary_section", "lead_image")

    def with_story_parts(self):
        """Return the rows with everything a whole story shows: bylines, people, links, tags, corrections."""
        return self.for_story().prefetch_related(
            bylines(),
            mentions(),
            models.Prefetch(
                "related_links", queryset=RelatedLink.objects.select_related("target_article__primary_section")
            ),
            "tags",
            "corrections",
        )


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_by_natural_key(self, guid):
        return natural_keys.find(self, guid, guid=guid)


class Article(models.Model):
    class Status(models.TextChoices):
        # Readers' words too: a preview's banner names the status of a story not yet public.
        DRAFT = "draft", pgettext_lazy("story status", "Draft")
        REVIEW = "review", pgettext_lazy("story status", "In review")
        PUBLISHED = "published", pgettext_lazy("story status", "Published")
        WITHDRAWN = "withdrawn", pgettext_lazy("story status", "Withdrawn")

    guid = models.CharField(
        max_length=limits.GUID_MAX_LENGTH,
        unique=True,
        default=new_guid,
        editable=False,
        help_text="A permanent identifier that stays with the story across databases.",
    )
    headline = models.CharField(max_length=limits.HEADLINE_MAX_LENGTH)
    headline_key = models.CharField(max_length=limits.TITLE_KEY_MAX_LENGTH, db_index=True, editable=False)
    slug = models.SlugField(
        max_length=limits.STORY_SLUG_MAX_LENGTH, unique=True, help_text="The story's address; keep it short."
    )
    dek = models.TextField("standfirst", blank=True, help_text="One or two sentences under the headline.")
    body = models.TextField(blank=True, help_text="Paragraphs, subheadings, lists, links and emphasis.")
    primary_section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Person, through="Authorship", related_name="authored_articles", blank=True)
    people = models.ManyToManyField(Person, through="Mention", related_name="mentioned_in", blank=True)
    tags = TaggableManager(through="TaggedArticle", blank=True, help_text="Places, organisations and topics.")
    lead_image = models.ForeignKey(Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="lead_for")
    lead_image_caption = models.TextField(
        blank=True, help_text="This story's caption for the lead picture; the picture's own is used when empty."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        validators=[within_time_bounds],
        help_text="A time in the future schedules the story.",
    )
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[within_time_bounds],
        help_text="When readers were last told the story changed.",
    )
    embargo_until = models.DateTimeField(
        null=True,
        blank=True,
        validators=[within_time_bounds],
        help_text="The story stays hidden until this time, even when published.",
    )
    dateline = models.CharField(
        max_length=limits.DATELINE_MAX_LENGTH, blank=True, help_text="Where the story was filed, e.g. BEIRUT."
    )
    source = models.CharField(
        max_length=limits.SOURCE_MAX_LENGTH, blank=True, help_text="Wire service or distributor credit."
    )
    source_id = models.CharField(
        max_length=limits.SOURCE_ID_MAX_LENGTH,
        blank=True,
        help_text="The wire's own identifier, so a re-import updates this story.",
    )
    seo_title = models.CharField(
        max_length=limits.SEO_TITLE_MAX_LENGTH, blank=True, help_text="For search engines; the headline when empty."
    )
    seo_description = models.CharField(
        max_length=limits.SEO_DESCRIPTION_MAX_LENGTH,
        blank=True,
        help_text="For search results; the standfirst when empty.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    last_modified = models.DateTimeField(default=now_ms, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="articles_created",
        help_text="Who started the story on the desk; reporters may edit their own drafts.",
    )
    # Nullable without a default, so that SQLite adds the column in place: rebuilding articles_article
    # would drop the full-text triggers of migration 0002.
    import_record = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="What the last import set here (a digest per field), so a re-import keeps the desk's changes.",
    )

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can publish, schedule and withdraw articles")]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            models.Index(fields=["primary_section", "status", "-published_at"], name="article_section_pub_idx"),
            # The desk's section filter lists a section's stories of every status, newest first.
            models.Index(fields=["primary_section", "-published_at"], name="article_desk_section_idx"),
            # The desk finds a story by the wire's id pasted into its search box.
            models.Index(fields=["source_id"], name="article_source_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source_id=""), name="article_unique_source_id"
            ),
            models.CheckConstraint(condition=~Q(headline=""), name="article_headline_not_empty"),
            time_in_bounds("published_at", "article_published_at_in_range"),
            time_in_bounds("updated_at", "article_updated_at_in_range"),
            time_in_bounds("embargo_until", "article_embargo_until_in_range"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.headline_key = title_key(self.headline)
        self.body = clean_html(self.body)
        self.last_modified = now_ms()
        stored = self._public_row_in_database()
        super().save(*args, **kwargs)
        if stored:
            ArticleRedirect.record(stored.get_absolute_url(), self)
            if stored.slug != self.slug:
                # The short link readers were given carries the slug too: it follows the story as well.
                ArticleRedirect.record(short_path(stored.slug), self)

    def get_absolute_url(self):
        if self.published_at is None:
            return short_path(self.slug)
        return article_path(self.primary_section.path, self.published_at, self.slug)

    def natural_key(self):
        return (self.guid,)

    @property
    def caption(self):
        """Return the caption readers see under the lead picture."""
        if self.lead_image_caption:
            return self.lead_image_caption
        return self.lead_image.caption if self.lead_image else ""

    def claim_version(self, opened_version):
        """Move the stored version on from opened_version, or raise EditConflict if it has moved already.

        The compare and the increment are one UPDATE, so of two editors saving at once exactly one wins.
        """
        claimed = Article.objects.filter(pk=self.pk, version=opened_version).update(version=F("version") + 1)
        if not claimed:
            raise EditConflict(self, opened_version)
        self.version = opened_version + 1

    def is_public(self, *, now=None):
        return is_public(self.status, self.published_at, self.embargo_until, now=now)

    def _public_row_in_database(self):
        """Return the stored row readers knew this story by, if it was published (for redirects on a move)."""
        if self.pk is None:
            return None
        return (
            Article.objects.filter(pk=self.pk, status=self.Status.PUBLISHED, published_at__isnull=False)
            .select_related("primary_section")
            .only("slug", "published_at", "primary_section__path")
            .first()
        )


class ArticleRedirectManager(models.Manager):
    def get_by_natural_key(self, old_path):
        return self.get(old_path=old_path)


class ArticleRedirect(models.Model):
    """An address a published story had before its slug, section or date changed: it answers 301."""

    old_path = models.CharField(max_length=limits.REDIRECT_PATH_MAX_LENGTH, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(default=now_ms, editable=False)

    objects = ArticleRedirectManager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.old_path} → {self.article}"

    def natural_key(self):
        return (self.old_path,)

    natural_key.dependencies = ["articles.article"]

    @classmethod
    def record(cls, old_path, article):
        """Send old_path to the article from now on, unless that is still (or again) its own address."""
        current = article.get_absolute_url()
        # Moved back: the address (or the short link) is the story's own again.
        cls.objects.filter(old_path__in=[current, short_path(article.slug)]).delete()
        if old_path not in (current, short_path(article.slug)):
            cls.objects.update_or_create(old_path=old_path, defaults={"article": article})


class ArticleChildManager(models.Manager):
    """Look up rows that belong to one article by the article's guid and a second key field."""

    article_field = "article"
    key_field = "person__slug"

    def get_by_natural_key(self, guid, key):
        return self.get(**{f"{self.article_field}__guid": guid, self.key_field: key})


class TaggedArticleManager(ArticleChildManager):
    article_field = "content_object"
    key_field = "tag__name"


class RelatedLinkManager(ArticleChildManager):
    key_field = "position"


class Authorship(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", pgettext_lazy("byline role", "Author")
        ADDITIONAL = "additional", pgettext_lazy("byline role", "Additional reporting")
        PHOTOGRAPHER = "photographer", pgettext_lazy("byline role", "Photographer")
        EDITOR = "editor", pgettext_lazy("byline role", "Editor")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="authorships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="authorships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AUTHOR)
    position = models.PositiveIntegerField(default=0)

    objects = ArticleChildManager()

    class Meta:
        ordering = ["article_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="authorship_unique_person"),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def natural_key(self):
        return (natural_keys.related(self, "article").guid, natural_keys.related(self, "person").slug)

    natural_key.dependencies = ["articles.article", "articles.person"]


class Mention(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mentions")
    title = models.CharField(
        max_length=limits.MENTION_TITLE_MAX_LENGTH,
        blank=True,
        help_text="How this story describes them, e.g. “Syrian Foreign Minister”.",
    )
    position = models.PositiveIntegerField(default=0)

    objects = ArticleChildManager()

    class Meta:
        ordering = ["article_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="mention_unique_person"),
        ]

    def __str__(self):
        return f"{self.title} {self.person}".strip()

    def natural_key(self):
        return (natural_keys.related(self, "article").guid, natural_keys.related(self, "person").slug)

    natural_key.dependencies = ["articles.article", "articles.person"]


def bylines():
    """Return the one way bylines are fetched, for story pages, feeds, ninjs and the desk's list alike:
    in order, with each person's name and address."""
    shown = ("article", "role", "position", "person__name", "person__slug")
    rows = Authorship.objects.select_related("person").only(*shown)
    return models.Prefetch("authorships", queryset=rows)


def mentions():
    """Return the one way the people a story names are fetched: in order, with names, addresses and titles."""
    shown = ("article", "title", "position", "person__name", "person__slug")
    rows = Mention.objects.select_related("person").only(*shown)
    return models.Prefetch("mentions", queryset=rows)


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="tagged_items")

    objects = TaggedArticleManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="taggedarticle_unique_tag"),
        ]

    def natural_key(self):
        return (natural_keys.related(self, "content_object").guid, natural_keys.related(self, "tag").name)

    natural_key.dependencies = ["articles.article", "taggit.tag"]


class RelatedLink(models.Model):
    class Kind(models.TextChoices):
        READ_MORE = "read_more", "Read more (inside the story)"
        RELATED = "related", "Related (under the story)"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RELATED)
    title = models.CharField(max_length=limits.LINK_TITLE_MAX_LENGTH, help_text="The link text readers see.")
    target_article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_from",
        help_text="A story on this site.",
    )
    url = models.CharField(
        "URL",
        max_length=limits.LINK_URL_MAX_LENGTH,
        blank=True,
        help_text="An address elsewhere; for a story not yet on the site, its search page.",
    )
    anchor_block = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="For “read more”: how many paragraphs of the story come before the link.",
    )

    objects = RelatedLinkManager()

    class Meta:
        ordering = ["article_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="relatedlink_unique_position"),
            models.CheckConstraint(
                condition=Q(target_article__isnull=False) | ~Q(url=""),
                name="relatedlink_has_target_or_url",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        # A view may have matched a pending link to a story that arrived after it was written.
        target = getattr(self, "resolved_target", None) or (self.target_article if self.target_article_id else None)
        if target is not None:
            return target.get_absolute_url()
        # A row stored before addresses were checked, or written by update(), may hold any text: such
        # an address is never handed out, so readers get the title without a link.
        return self.url if is_safe_url(self.url) else ""

    def clean(self):
        try:
            checked_url(self.url)
        except UnsafeURL as error:
            raise ValidationError({"url": f"Only web addresses may be linked: {error}."}) from None
        if self.target_article_id is None and not self.url:
            if not self.title:
                raise ValidationError("Choose a story on this site or give an address.")
            # A title alone stays a working link to search until the story arrives.
            self.url = search_url(self.title)

    def natural_key(self):
        return (natural_keys.related(self, "article").guid, self.position)

    natural_key.dependencies = ["articles.article"]

    @property
    def is_external(self):
        return bool(self.url) and self.url.startswith(("http://", "https://"))


def refuse_unsafe_link(sender, instance, raw=False, **kwargs):
    """Refuse to store a link with an address checked_url() refuses, naming the row.

    loaddata saves fixtures raw, past clean(), and code may save without cleaning: every save of a
    link meets the desk's check here. The error is a ValueError, which loaddata reports with the
    fixture's name after rolling the whole load back.
    """
    try:
        checked_url(instance.url)
    except UnsafeURL as error:
        guid = natural_keys.related(instance, "article").guid
        raise UnsafeURL(
            f"the link at position {instance.position} of story {guid} has the address {instance.url!r}: {error}"
        ) from None


models.signals.pre_save.connect(refuse_unsafe_link, sender=RelatedLink, dispatch_uid="articles-refuse-unsafe-link")


class CorrectionManager(models.Manager):
    def get_by_natural_key(self, guid, published_at):
        return self.get(article__guid=guid, published_at=published_at)


class Correction(models.Model):
    class Kind(models.TextChoices):
        # Shown to readers beside each correction, on the story and on the corrections page.
        CORRECTION = "correction", pgettext_lazy("kind of correction", "Correction")
        CLARIFICATION = "clarification", pgettext_lazy("kind of correction", "Clarification")
        UPDATE = "update", pgettext_lazy("kind of correction", "Update")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(help_text="What was wrong and what is right now; shown to readers.")
    published_at = models.DateTimeField(default=now_ms, validators=[within_time_bounds])

    objects = CorrectionManager()

    class Meta:
        ordering = ["article_id", "published_at"]
        constraints = [
            models.UniqueConstraint(fields=["article", "published_at"], name="correction_unique_time"),
            time_in_bounds("published_at", "correction_published_at_in_range"),
        ]

    def __str__(self):
        when = formats.date_format(timezone.localtime(self.published_at), "DATETIME_FORMAT")  # the desk's format
        return f"{self.get_kind_display()} of {when}"

    def save(self, *args, **kwargs):
        self.text = clean_html(self.text)
        super().save(*args, **kwargs)
        # A public correction means the story changed: its "Updated" time moves on, never back. The
        # version stays, so the desk's own save (which saved this inline) counts as one edit.
        if self.published_at <= timezone.now():
            Article.objects.filter(pk=self.article_id).filter(
                Q(updated_at__isnull=True) | Q(updated_at__lt=self.published_at)
            ).update(updated_at=self.published_at, last_modified=now_ms())

    def natural_key(self):
        return (natural_keys.related(self, "article").guid, self.published_at)

    natural_key.dependencies = ["articles.article"]


class StatusChangeManager(models.Manager):
    def get_by_natural_key(self, guid, at):
        return self.get(article__guid=guid, at=at)


class StatusChange(models.Model):
    """One move of a story through the workflow: who moved it, from where to where, and when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Article.Status.choices)
    to_status = models.CharField(max_length=20, choices=Article.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=now_ms)

    objects = StatusChangeManager()

    class Meta:
        ordering = ["article_id", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "at"], name="statuschange_unique_time"),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    def natural_key(self):
        return (natural_keys.related(self, "article").guid, self.at)

    natural_key.dependencies = ["articles.article"]


class DraftCopy(models.Model):
    """An editor's unsaved edit of a story, kept by the change form's autosave until she saves or discards it.

    Private to her and not a revision: keeping it touches neither the story's row nor its version.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="draft_copies")
    data = models.JSONField(
        default=dict,
        help_text="The story's own fields as typed, and as they were when the form was opened, by form name.",
    )
    opened_version = models.PositiveIntegerField(help_text="The version of the story the form was opened at.")
    saved_at = models.DateTimeField(default=now_ms)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="draftcopy_one_per_user_and_story"),
        ]

    def __str__(self):
        return f"Unsaved changes to story {self.article_id}"


# A revision holds a story together with its parts, so restoring or recovering it brings them all back.
for _part in (Authorship, Mention, TaggedArticle, RelatedLink, Correction):
    reversion.register(_part)
reversion.register(Article, follow=["authorships", "mentions", "tagged_items", "related_links", "corrections"])

models.signals.pre_save.connect(to_milliseconds, dispatch_uid="articles-times-to-milliseconds")


class WireItem(models.Model):
    """One story in the desk's incoming queue, as an agency sent it, until an editor takes it.

    The queue holds data only; articles/interchange/incoming.py decides what a new arrival does to it
    (queue, replace, ignore, kill) and makes a draft story from it.
    """

    class PubStatus(models.TextChoices):
        USABLE = "usable", "Usable"
        WITHHELD = "withheld", "Withheld"
        CANCELED = "canceled", "Killed"

    source = models.CharField(
        max_length=limits.SOURCE_MAX_LENGTH, blank=True, help_text="The agency or partner that sent the item."
    )
    format = models.CharField(
        max_length=limits.WIRE_FORMAT_MAX_LENGTH, help_text="The format the file came in, e.g. nitf or newsml-g2."
    )
    guid = models.CharField(
        max_length=limits.WIRE_GUID_MAX_LENGTH, help_text="The agency's own identifier for the story."
    )
    version = models.PositiveBigIntegerField(null=True, blank=True, help_text="The agency's version number.")
    received_at = models.DateTimeField(default=now_ms, db_index=True, help_text="When this version arrived.")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the agency says it sent the item.")
    priority = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 is the most urgent.")
    urgency = models.PositiveSmallIntegerField(null=True, blank=True)
    slugline = models.CharField(max_length=limits.SLUGLINE_MAX_LENGTH, blank=True)
    headline = models.CharField(max_length=limits.HEADLINE_MAX_LENGTH)
    embargo = models.DateTimeField(null=True, blank=True, help_text="Not for publication before this time.")
    pub_status = models.CharField(
        "status", max_length=20, choices=PubStatus.choices, default=PubStatus.USABLE, db_index=True
    )
    kill_note = models.TextField(blank=True, help_text="What the agency said when it killed the story.")
    item = models.JSONField(help_text="The item as it arrived, so a story can be made from it.")
    history = models.JSONField(
        default=list, blank=True, help_text="Earlier versions of the item, oldest first, to show what changed."
    )
    filename = models.CharField(
        max_length=limits.WIRE_FILENAME_MAX_LENGTH, blank=True, help_text="The file the latest version came in."
    )
    taken_story = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incoming_items",
        help_text="The draft story an editor made from this item.",
    )
    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "incoming item"
        verbose_name_plural = "incoming"
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="wireitem_unique_guid"),
        ]

    def __str__(self):
        return self.slugline or self.headline

    @property
    def killed(self):
        return self.pub_status == self.PubStatus.CANCELED


# --- webhooks: partners told of what happens to published stories (articles/distribution/webhooks.py) ---


def new_webhook_secret():
    """Return a fresh secret for signing a subscriber's deliveries."""
    return secrets.token_urlsafe(32)


def all_story_events():
    return list(events.EVENTS)


def outbound_allowance():
    """Return what the operator's settings let webhooks reach besides public hosts."""
    newsroom = settings.NEWSROOM
    return {
        "allow_private": bool(newsroom.get("WEBHOOK_ALLOW_PRIVATE", False)),
        "allowed": tuple(newsroom.get("WEBHOOK_ALLOWED_HOSTS", ())),
    }


def receivable_url(value):
    """Refuse a webhook address the newsroom would not send to (not http(s), or a private host), saying why."""
    try:
        outbound.checked_addresses(value, **outbound_allowance())
    except outbound.RefusedTarget as refusal:
        raise ValidationError(str(refusal), code="refused_address") from None


def known_story_events(value):
    """Refuse a list of events that is not a list of distinct known event names."""
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValidationError(gettext_lazy("Choose the events as a list of names."), code="invalid")
    unknown = sorted(set(value) - set(events.EVENTS))
    if unknown or len(set(value)) != len(value):
        raise ValidationError(
            gettext_lazy("Unknown or repeated events: %(names)s."),
            code="invalid",
            params={"names": ", ".join(unknown) or ", ".join(value)},
        )


class SubscriberManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Subscriber(models.Model):
    """A partner's address that receives a signed ninjs POST when a published story changes."""

    name = models.CharField(
        gettext_lazy("name"),
        max_length=limits.SUBSCRIBER_NAME_MAX_LENGTH,
        unique=True,
        help_text=gettext_lazy("Who receives the deliveries, for the desk."),
    )
    url = models.CharField(
        gettext_lazy("address"),
        max_length=limits.SUBSCRIBER_URL_MAX_LENGTH,
        validators=[receivable_url],
        help_text=gettext_lazy("The http or https address on a public host that deliveries are POSTed to."),
    )
    secret = models.CharField(
        gettext_lazy("secret"),
        max_length=limits.SUBSCRIBER_SECRET_MAX_LENGTH,
        default=new_webhook_secret,
        help_text=gettext_lazy(
            "Give it to the subscriber: each delivery is signed with it (X-Newsroom-Signature). "
            "A new subscriber gets a random one."
        ),
    )
    events = models.JSONField(
        gettext_lazy("events"),
        default=all_story_events,
        validators=[known_story_events],
        help_text=gettext_lazy("What the subscriber is told of."),
    )
    active = models.BooleanField(
        gettext_lazy("active"), default=True, help_text=gettext_lazy("Untick to stop deliveries for a while.")
    )
    failing = models.BooleanField(
        gettext_lazy("failing"),
        default=False,
        editable=False,
        help_text=gettext_lazy("A delivery gave up after its last try; the next one that arrives clears it."),
    )
    failing_since = models.DateTimeField(gettext_lazy("failing since"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(gettext_lazy("created"), default=now_ms, editable=False)

    objects = SubscriberManager()

    class Meta:
        ordering = ["name"]
        verbose_name = gettext_lazy("webhook subscriber")
        verbose_name_plural = gettext_lazy("webhook subscribers")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    def listens_to(self, event):
        return event == events.PING or event in (self.events or [])


class Delivery(models.Model):
    """One attempt to deliver an event to a subscriber: what was sent, what came back, and when."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", gettext_lazy("Delivered")
        RETRYING = "retrying", gettext_lazy("Failed, will be tried again")
        GAVE_UP = "gave_up", gettext_lazy("Failed, given up")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries", verbose_name=gettext_lazy("subscriber")
    )
    delivery_id = models.UUIDField(
        gettext_lazy("delivery"),
        db_index=True,
        help_text=gettext_lazy("The same for every attempt at one delivery; sent as X-Newsroom-Delivery."),
    )
    event = models.CharField(gettext_lazy("event"), max_length=20, choices=events.DELIVERY_CHOICES)
    article_guid = models.CharField(gettext_lazy("story guid"), max_length=limits.GUID_MAX_LENGTH, blank=True)
    payload_sha256 = models.CharField(
        gettext_lazy("SHA-256 of the body"), max_length=limits.DIGEST_MAX_LENGTH, blank=True
    )
    attempt = models.PositiveSmallIntegerField(gettext_lazy("attempt"))
    outcome = models.CharField(gettext_lazy("outcome"), max_length=20, choices=Outcome.choices, db_index=True)
    status_code = models.PositiveSmallIntegerField(gettext_lazy("HTTP status"), null=True, blank=True)
    error = models.TextField(gettext_lazy("error"), blank=True)
    duration_ms = models.PositiveIntegerField(gettext_lazy("duration (ms)"), null=True, blank=True)
    at = models.DateTimeField(gettext_lazy("at"), default=now_ms, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = gettext_lazy("webhook delivery")
        verbose_name_plural = gettext_lazy("webhook deliveries")
        indexes = [models.Index(fields=["subscriber", "-at"], name="delivery_subscriber_at_idx")]

    def __str__(self):
        return f"{self.get_event_display()}, attempt {self.attempt}"
