"""The knowledge base in the admin: categories are edited here; articles only shown, since the
console's editor keeps their revisions, slugs and translations consistent."""

from django.contrib import admin

from soporte.admin import ViewOnly
from soporte.kb.models import Article, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ["name_es", "name_en", "slug_es", "slug_en", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug_es": ["name_es"], "slug_en": ["name_en"]}


@admin.register(Article)
class ArticleAdmin(ViewOnly, admin.ModelAdmin[Article]):
    """Written, published and translated in the console only."""

    list_display = ["title", "language", "status", "category", "revision", "updated_at"]
    list_filter = ["status", "language", "category"]
    search_fields = ["title", "slug"]
