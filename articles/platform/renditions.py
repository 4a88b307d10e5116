"""Picture renditions, made in the background: an upload stores the re-encoded picture at once and queues
the scaled copies with the same save.

Until the worker has made them a page shows the picture's own file (templates/articles/includes/picture.html
and the desk's thumbnails fall back to it), so a story published the moment its picture is uploaded is
whole, only heavier. Saving the renditions bumps the content version like any save of a picture, so
cached pages pick them up.
"""

from django.db.models.signals import post_save

from articles.core import images
from articles.models import Image
from articles.platform.tasks import enqueue_with_change, retried_task


# A storage that fails to read or write (a network share away for a moment) is worth another try.
@retried_task(retry_on=(OSError,))
def make_picture_renditions(image_pk):
    """Write the renditions of a picture and record them on it; nothing if it has them or is gone."""
    image = Image.objects.filter(pk=image_pk).first()
    if image is None or not image.file or image.renditions:
        return 0
    image.renditions = images.renditions_of(image.file, image.key, image.file.storage)
    image.save(update_fields=["renditions"])
    return len(image.renditions)


def queue_renditions(sender, instance, **kwargs):
    """Queue the renditions of a picture whose new file was just stored, with the change that stored it."""
    if getattr(instance, "renditions_wanted", False):
        instance.renditions_wanted = False
        enqueue_with_change(make_picture_renditions, instance.pk)


def connect():
    post_save.connect(queue_renditions, sender=Image, dispatch_uid="articles-queue-renditions")
