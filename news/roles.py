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

PERMISSIONS = {
    Role.EDITOR: dict.fromkeys(NEWS_MODELS, ("view", "add", "change", "delete"))
    | {"news.poststatuschange": ("view",)},
    Role.UNIT_ADMIN: dict.fromkeys(NEWS_MODELS, ("view",)),
}
