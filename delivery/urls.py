from delivery import urls_hierarchy, urls_links, urls_report

app_name = "delivery"

# Three groups of pages, each in its own module: the hierarchy (items, updates, figures), the
# links between items (dependencies, lineage, governance) and the programme report.
urlpatterns = [
    *urls_hierarchy.urlpatterns,
    *urls_links.urlpatterns,
    *urls_report.urlpatterns,
]
