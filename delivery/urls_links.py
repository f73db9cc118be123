"""URLs of the delivery app's links pages (joined in delivery/urls.py)."""

urlpatterns: list = []
