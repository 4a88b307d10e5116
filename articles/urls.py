from django.urls import path, re_path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    # Unicode word characters only: slugs from the wild may carry NUL bytes, which PostgreSQL refuses.
    re_path(r"^people/(?P<slug>[-\w]+)/$", views.PersonDetailView.as_view(), name="person-detail"),
    re_path(r"^tags/(?P<slug>[-\w]+)/$", views.TagDetailView.as_view(), name="tag-detail"),
    path("articles/<slug:slug>/", views.ArticleShortLinkView.as_view(), name="article-short"),
    re_path(
        r"^(?P<path>[-\w]+(?:/[-\w]+)*)/(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/(?P<slug>[-\w]+)/$",
        views.ArticleDetailView.as_view(),
        name="article-detail",
    ),
    re_path(r"^(?P<path>[-\w]+(?:/[-\w]+)*)/$", views.SectionDetailView.as_view(), name="section-detail"),
]
