"""URLs of the delivery app's hierarchy pages (joined in delivery/urls.py)."""

urlpatterns: list = []
