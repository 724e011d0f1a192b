from django.contrib.sitemaps.views import sitemap
from django.urls import path

from news import views
from news.feeds import LatestPostsFeed
from news.sitemaps import SITEMAPS

app_name = "news"

urlpatterns = [
    path("", views.home, name="home"),
    path("tin-tuc/", views.post_list, name="posts"),
    path("tin-tuc/<slug:category>/", views.category_detail, name="category"),
    path("tin-tuc/<slug:category>/<slug:slug>/", views.post_detail, name="post"),
    path("van-ban/", views.document_list, name="documents"),
    path("thu-vien-anh/", views.album_list, name="albums"),
    path("thu-vien-anh/<slug:slug>/", views.album_detail, name="album"),
    path("gioi-thieu/", views.about, name="about"),
    path("tim-kiem/", views.search, name="search"),
    path("feed/", LatestPostsFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
]
