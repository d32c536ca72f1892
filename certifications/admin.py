from django.contrib import admin

from certifications.models import CodeVersion


@admin.register(CodeVersion)
class CodeVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "effective_date", "published_at"]
    readonly_fields = ["sha256"]
