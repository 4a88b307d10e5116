from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

admin.site.site_header = f"{settings.NEWSROOM['SITE_NAME']} desk"
admin.site.site_title = settings.NEWSROOM["SITE_NAME"]
admin.site.index_title = "The desk"

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
]
if not settings.PRODUCTION:
    # On one machine the app serves uploads itself; production puts them on shared storage.
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
urlpatterns.append(path("", include("articles.urls")))
