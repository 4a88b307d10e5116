"""Build a realistic, deterministic demo newsroom of any size, for benchmarks and trying the desk."""

import random
import time
from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from taggit.models import Tag

from articles.core.limits import HEADLINE_MAX_LENGTH
from articles.core.progress import ProgressBar
from articles.core.text import title_key
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
from articles.platform.dbstats import refresh_statistics

SECTIONS = [
    ("news", "News", None),
    ("world", "World", "news"),
    ("middle-east", "Middle East", "news/world"),
    ("africa", "Africa", "news/world"),
    ("europe", "Europe", "news/world"),
    ("politics", "Politics", "news"),
    ("business", "Business", None),
    ("markets", "Markets", "business"),
    ("technology", "Technology", None),
    ("science", "Science", None),
    ("sport", "Sport", None),
    ("culture", "Culture", None),
]
FIRST = (
    "Amina Omar Lena Tariq Sofia Daniel Yusuf Grace Mateo Hana Ivan Leila Samuel Nadia Pedro Mei Ahmed Clara".split()
)
LAST = "Haddad Mensah Kowalski al-Rashid Okafor Silva Tanaka Novak Ibrahim Costa Müller Dubois Nasser Ortiz".split()
TITLES = [
    "Foreign Minister",
    "Prime Minister",
    "spokesperson",
    "central bank governor",
    "chief executive",
    "head coach",
    "senior analyst",
    "UN envoy",
    "Health Minister",
    "opposition leader",
]
PLACES = "Cairo Beirut Nairobi Lagos Paris Berlin Warsaw Tokyo Lima Brasília Geneva Istanbul Doha Kyiv".split()
WORDS = (
    "officials said the talks would continue next week amid growing pressure from lawmakers and markets "
    "the agreement covers trade energy security and the return of displaced families according to people "
    "familiar with the negotiations while critics warned that the timetable was unrealistic and costly"
).split()


class Command(BaseCommand):
    help = "Fill the database with N demo stories (deterministic for a given --seed), with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument(
            "--unless-present",
            action="store_true",
            help="Do nothing if the database already holds this many demo stories (for make bench).",
        )

    def handle(self, *args, articles, seed, batch, unless_present, **options):
        if articles < 1 or articles > 1_000_000:
            raise CommandError("--articles takes a number from 1 to 1,000,000")
        demo = Article.objects.filter(guid__startswith="urn:newsroom:demo:").count() if unless_present else 0
        if unless_present and demo == articles:
            self.stdout.write(f"The database holds {demo:,} demo stories already.")
            return
        if Article.objects.filter(guid__startswith="urn:newsroom:demo:").exists():
            raise CommandError("demo stories exist already; flush the database first")
        rng = random.Random(seed)
        started = time.monotonic()
        with transaction.atomic():
            sections = self._sections()
            people = Person.objects.bulk_create(
                Person(name=f"{first} {last}", slug=f"demo-person-{i}", job_title=rng.choice(TITLES))
                for i, (first, last) in enumerate(
                    (rng.choice(FIRST), rng.choice(LAST)) for _ in range(max(50, articles // 50))
                )
            )
            topics = ["talks", "economy", "elections", "protests", "health", "energy", "courts", "transport"]
            tags = Tag.objects.bulk_create(
                Tag(name=f"{PLACES[i % len(PLACES)]} {topics[(i // len(PLACES)) % len(topics)]} {i}", slug=f"demo-{i}")
                for i in range(max(30, articles // 100))
            )
            epoch = datetime(2025, 1, 1, tzinfo=UTC)
            bar = ProgressBar(self.stderr, articles, unit="stories")
            done = 0
            while done < articles:
                size = min(batch, articles - done)
                self._batch(rng, done, size, epoch, sections, people, tags)
                done += size
                bar.update(done)
        bar.finish()
        refresh_statistics()
        self.stdout.write(f"Generated {articles} stories in {time.monotonic() - started:.1f} s.")

    def _sections(self):
        made = {}
        for slug, name, parent in SECTIONS:
            made[(f"{parent}/" if parent else "") + slug] = Section.objects.ensure(
                (f"{parent}/" if parent else "") + slug, name
            )
        return list(made.values())

    def _batch(self, rng, start, size, epoch, sections, people, tags):
        stories = []
        for n in range(start, start + size):
            headline = f"{rng.choice(PLACES)} {' '.join(rng.choices(WORDS, k=rng.randint(5, 9)))} ({n})".capitalize()
            paragraphs = [
                " ".join(rng.choices(WORDS, k=rng.randint(25, 60))).capitalize() + "."
                for _ in range(rng.randint(8, 20))
            ]
            body = "".join(
                f"<p>{p}</p>" if i % 6 else f"<h2>{p[:40]}</h2><p>{p}</p>" for i, p in enumerate(paragraphs)
            )
            published = epoch + timedelta(minutes=7 * n)
            stories.append(
                Article(
                    guid=f"urn:newsroom:demo:{n}",
                    headline=headline[:HEADLINE_MAX_LENGTH],
                    headline_key=title_key(headline),
                    slug=f"demo-{n}",
                    dek=" ".join(rng.choices(WORDS, k=18)).capitalize() + ".",
                    body=body,
                    primary_section=rng.choice(sections),
                    status=Article.Status.PUBLISHED,
                    published_at=published,
                    updated_at=published,
                    dateline=rng.choice(PLACES).upper(),
                    last_modified=published,
                )
            )
        stories = Article.objects.bulk_create(stories)
        images = Image.objects.bulk_create(
            Image(
                key=f"demo-{s.pk}",
                caption=f"A scene in {rng.choice(PLACES)}.",
                credit=rng.choice(["AP", "Reuters", "AFP"]),
            )
            for s in stories[::4]
        )
        for story, image in zip(stories[::4], images, strict=True):
            story.lead_image = image
        Article.objects.bulk_update(stories[::4], ["lead_image"])
        authorships, mentions, tagged, links, corrections = [], [], [], [], []
        for story in stories:
            for position, person in enumerate(rng.sample(people, 2)):
                authorships.append(Authorship(article=story, person=person, position=position))
            for position, person in enumerate(rng.sample(people, rng.randint(2, 4))):
                mentions.append(Mention(article=story, person=person, title=person.job_title, position=position))
            tagged.extend(TaggedArticle(content_object=story, tag=tag) for tag in rng.sample(tags, rng.randint(3, 5)))
            target = stories[rng.randrange(len(stories))]
            if target.pk != story.pk:
                links.append(
                    RelatedLink(
                        article=story,
                        position=0,
                        kind="read_more",
                        title=target.headline,
                        target_article=target,
                        anchor_block=2,
                    )
                )
            links.append(
                RelatedLink(
                    article=story, position=1, kind="related", title="Background", url="https://example.org/background"
                )
            )
            if rng.random() < 0.05:
                corrections.append(
                    Correction(
                        article=story,
                        text="An earlier version misspelt a name.",
                        published_at=story.published_at + timedelta(hours=2),
                    )
                )
        Authorship.objects.bulk_create(authorships)
        Mention.objects.bulk_create(mentions)
        TaggedArticle.objects.bulk_create(tagged)
        RelatedLink.objects.bulk_create(links)
        Correction.objects.bulk_create(corrections)
