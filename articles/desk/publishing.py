"""The desk's workflow: who may edit a story, which status moves exist and who may make them,
what a story needs before it is published, and saving an edit without losing anyone's work.

The admin asks these functions and nothing else, so the rules hold for the change form, the bulk
actions and a hand-made POST alike.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags

from articles.core import events
from articles.models import Article, Authorship, EditConflict, Image, Mention, Person, StatusChange, TaggedArticle

Status = Article.Status
PUBLISH_PERMISSION = "articles.publish_article"
EDITORS_ONLY = "Only an editor can publish, schedule or withdraw a story; reporters submit theirs for review."


@dataclass(frozen=True)
class Move:
    label: str  # what the button says
    done: str  # what the message afterwards says
    needs_publish: bool  # only editors (the publish permission) may make it


MOVES = {
    (Status.DRAFT, Status.REVIEW): Move("Submit for review", "submitted for review", needs_publish=False),
    (Status.REVIEW, Status.DRAFT): Move("Send back to draft", "sent back to draft", needs_publish=False),
    (Status.DRAFT, Status.PUBLISHED): Move("Publish", "published", needs_publish=True),
    (Status.REVIEW, Status.PUBLISHED): Move("Publish", "published", needs_publish=True),
    (Status.PUBLISHED, Status.WITHDRAWN): Move("Withdraw", "withdrawn", needs_publish=True),
    (Status.WITHDRAWN, Status.DRAFT): Move("Send back to draft", "sent back to draft", needs_publish=True),
}

# The change form's workflow buttons: the submit button's name says where the story goes.
BUTTONS = {
    "_submit_review": Status.REVIEW,
    "_publish": Status.PUBLISHED,
    "_withdraw": Status.WITHDRAWN,
    "_back_to_draft": Status.DRAFT,
}


class WorkflowError(Exception):
    """A status move that may not happen; the messages say why, in words for the desk."""

    def __init__(self, messages):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


def is_editor(user):
    """Tell whether user may publish, schedule and withdraw stories and edit anyone's."""
    return user.has_perm(PUBLISH_PERMISSION)


def may_edit(user, article):
    """Tell whether user may change this story: editors any story, reporters their own drafts."""
    if not user.has_perm("articles.change_article"):
        return False
    if is_editor(user):
        return True
    return article.created_by_id == user.pk and article.status == Status.DRAFT


def may_pull_back(user, article):
    """Tell whether user may take this story back from review to draft: an editor, or the reporter who wrote it."""
    if not user.has_perm("articles.change_article") or article.status != Status.REVIEW:
        return False
    return is_editor(user) or article.created_by_id == user.pk


def may_move(user, article, to_status):
    """Tell whether user may act on this story to move it to to_status at all (the move's own rules aside).

    Whoever may edit the story may move it; a reporter who cannot edit her story in review may still pull
    it back to draft, and edit it again.
    """
    if may_edit(user, article):
        return True
    return to_status == Status.DRAFT and may_pull_back(user, article)


def may_recover(user, *, created_by_id, status):
    """Tell whether user may bring back a deleted story: editors any, reporters their own deleted drafts."""
    if not (user.has_perm("articles.add_article") and user.has_perm("articles.change_article")):
        return False
    return is_editor(user) or (created_by_id == user.pk and status == Status.DRAFT)


def stories_showing(obj):
    """Return the published stories (live, scheduled or embargoed) that show a picture, person or tag.

    A picture shows as a lead picture or as the photo of someone in a byline or mentioned; a person in
    a byline or a mention; a tag on the story.
    """
    if isinstance(obj, Image):
        people = Person.objects.filter(photo=obj).values("pk")
        shown = Q(lead_image=obj) | _naming(people)
    elif isinstance(obj, Person):
        shown = _naming([obj.pk])
    else:
        shown = Q(pk__in=TaggedArticle.objects.filter(tag=obj).values("content_object_id"))
    return Article.objects.filter(shown, status=Status.PUBLISHED)


def _naming(people):
    """Return the condition for stories with one of people in a byline or mentioned."""
    return Q(pk__in=Authorship.objects.filter(person__in=people).values("article_id")) | Q(
        pk__in=Mention.objects.filter(person__in=people).values("article_id")
    )


def shared_refusal(user, obj):
    """Return why user may not change or delete a picture, person or tag, in words for the desk; "" if they may.

    What a published story shows goes public the moment it changes, so only editors change it; a
    reporter changes what only drafts use, and changes a published story by proposing it for review.
    """
    if is_editor(user):
        return ""
    headline = stories_showing(obj).values_list("headline", flat=True).first()
    if headline is None:
        return ""
    noun = {Image: "picture", Person: "person"}.get(type(obj), "tag")
    return (
        f"This {noun} appears in a published story (“{headline}”), so only an editor can change it. "
        f"Ask an editor, or use another {noun} in your own story and submit it for review."
    )


def requested_status(data):
    """Return the status a workflow button in submitted form data asks for, or None."""
    for name, status in BUTTONS.items():
        if name in data:
            return status
    return None


def button_name(to_status):
    return next(name for name, status in BUTTONS.items() if status == to_status)


def available_moves(user, article):
    """Return (button name, move) for each move user may offer on this story, in workflow order."""
    current = article.status if article.pk else Status.DRAFT
    return [
        (button_name(to_status), move)
        for (from_status, to_status), move in MOVES.items()
        if from_status == current
        and (is_editor(user) or not move.needs_publish)
        and (article.pk is None or may_move(user, article, to_status))
    ]


def publish_problems(article):
    """Return, in words for the desk, what the story still lacks before it can be published."""
    problems = []
    if not article.headline.strip():
        problems.append("a headline")
    if not article.slug:
        problems.append("a slug (the story's address)")
    if article.primary_section_id is None:
        problems.append("a section")
    if not strip_tags(article.body).strip():
        problems.append("body text")
    if article.lead_image_id is not None and not article.lead_image.alt_text.strip():
        problems.append("alt text on the lead picture (what it shows, for readers who cannot see it)")
    return problems


def move_problems(*, article, from_status, to_status, user):
    """Return why user may not move the story from from_status to to_status; empty when they may."""
    if from_status == to_status:
        return []
    labels = dict(Status.choices)
    move = MOVES.get((from_status, to_status))
    if move is None:
        return [f"A story cannot go from “{labels[from_status]}” to “{labels[to_status]}”."]
    if move.needs_publish and not is_editor(user):
        return [f"{_named(article)} cannot go from “{labels[from_status]}” to “{labels[to_status]}”. {EDITORS_ONLY}"]
    if to_status == Status.PUBLISHED:
        missing = publish_problems(article)
        if missing:
            return [f"{_named(article)} cannot be published yet. It needs {_listed(missing)}."]
    return []


def _named(article):
    """Return how a message names the story: its headline in quotes, or "This story" while it has none."""
    return f"“{article.headline}”" if article.headline.strip() else "This story"


def prepare(article, to_status, *, now=None):
    """Fill what a move implies: publishing without a time publishes now (a future time schedules)."""
    if to_status == Status.PUBLISHED and article.published_at is None:
        article.published_at = now or timezone.now()


def save_edit(*, article, user, from_status, opened_version=None):
    """Save a story edited on the desk and record its status move, if any.

    A story already in the database is saved only if nobody saved it since opened_version: otherwise
    EditConflict is raised and nothing is written. Every save moves the version on by exactly one.
    Return the StatusChange recorded, or None.
    """
    with transaction.atomic():
        if article.pk is None:
            article.created_by = user
        else:
            article.claim_version(article.version if opened_version is None else opened_version)
        article.save()
        if article.status == from_status:
            return None
        return StatusChange.objects.create(
            article=article, from_status=from_status, to_status=article.status, user=user
        )


def refusals(*, article, to_status, user):
    """Return why user may not move this story to to_status from where it is; empty when they may."""
    problems = move_problems(article=article, from_status=article.status, to_status=to_status, user=user)
    if not may_move(user, article, to_status):
        problems.insert(0, f"You may not change “{article}”: reporters edit only their own drafts.")
    return problems


def move_many(*, articles, to_status, user):
    """Move every story or none: return the changes made, or raise WorkflowError listing every refusal."""
    articles = list(articles)
    problems = [
        problem for article in articles for problem in refusals(article=article, to_status=to_status, user=user)
    ]
    if problems:
        raise WorkflowError(problems)
    changes = []
    try:
        with transaction.atomic():
            for article in articles:
                from_status = article.status
                prepare(article, to_status)
                article.status = to_status
                change = save_edit(article=article, user=user, from_status=from_status)
                if change is not None:
                    changes.append(change)
                    announce(article=article, event=events.event_of(from_status=from_status, to_status=to_status))
    except EditConflict as conflict:
        raise WorkflowError(
            [f"“{conflict.article}” was saved by someone else a moment ago, so nothing was changed. Try again."]
        ) from conflict
    return changes


def announce(*, article, event):
    """Tell subscribers (articles/distribution/webhooks.py) what just happened to a story; None tells nothing.

    Sent inside the change's transaction, so what it queues commits or rolls back with the change.
    A story scheduled for later is announced when it is saved, with its publication time in the item.
    """
    if event is not None:
        events.story_event.send(sender=Article, event=event, guid=article.guid, article=article)


def announce_edit(*, article, from_status, corrected, changed):
    """Announce a save on the story form: publish, withdraw, correct (a correction saved with it) or update."""
    event = events.event_of(from_status=from_status, to_status=article.status, corrected=corrected, changed=changed)
    announce(article=article, event=event)


def announce_deletion(article):
    """Announce, before it goes, that a story subscribers were told of is deleted: a kill."""
    if events.was_out(article.status):
        announce(article=article, event=events.KILL)


def describe(from_status, to_status):
    """Return the name of a status move for history and messages, such as “Published”, or ""."""
    found = MOVES.get((from_status, to_status))
    if found is None:
        return ""
    return found.done[0].upper() + found.done[1:]


def _listed(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
