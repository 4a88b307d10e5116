from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from articles.desk import choosers
from articles.distribution import sitemaps

admin.site.site_header = f"{settings.NEWSROOM['SITE_NAME']} desk"
admin.site.site_title = settings.NEWSROOM["SITE_NAME"]
admin.site.index_title = "The desk"

urlpatterns = [
    # The admin's own autocomplete address, answered by the desk's view, which names sections as editors do.
    path(f"{settings.ADMIN_PATH}autocomplete/", choosers.autocomplete_view(admin.site), name="desk-autocomplete"),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap-news"),
    path("sitemap-<section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
]
if not settings.PRODUCTION:
    # On one machine the app serves uploads itself; production puts them on shared storage.
    def serve_media(request, path):
        # MEDIA_ROOT is read per request, so a changed setting (as in tests) is honoured.
        return serve(request, path, document_root=settings.MEDIA_ROOT)

    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_media))
urlpatterns.append(path("", include("articles.urls")))

# A page not found may be an address a story had on another system (a WordPress permalink) or before a
# move: those answer 301 to the story (articles/reader/views.py).
handler404 = "articles.reader.views.page_not_found"
