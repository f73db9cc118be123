"""URLs of the delivery app's report pages (joined in delivery/urls.py)."""

urlpatterns: list = []
