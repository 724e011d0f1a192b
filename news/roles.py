from associations.models import Role

NEWS_MODELS = (
    "news.category",
    "news.post",
    "news.postphoto",
    "news.poststatuschange",
    "news.document",
    "news.documentfile",
    "news.album",
    "news.albumphoto",
)

# "publish" is news.publish_post: publishing and returning posts of the units below one's own.
PERMISSIONS = {
    Role.EDITOR: dict.fromkeys(NEWS_MODELS, ("view", "add", "change", "delete"))
    | {
        "news.post": ("view", "add", "change", "delete", "publish"),
        "news.poststatuschange": ("view",),
    },
    Role.UNIT_ADMIN: dict.fromkeys(NEWS_MODELS, ("view",)),
}
