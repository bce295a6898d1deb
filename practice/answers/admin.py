from django.contrib import admin

from .models import Answer, Score


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False
    fields = (
        "created_at",
        "is_current",
        "total",
        "max_marks",
        "content",
        "structure",
        "readability",
        "rubric_version",
        "engine_version",
    )
    readonly_fields = fields
    ordering = ("-created_at",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("id", "student", "prompt", "status", "scoring", "word_count", "submitted_at")
    list_filter = ("status", "scoring", "prompt__topic", "prompt")
    search_fields = ("student__username", "prompt__slug", "text")
    list_select_related = ("student", "prompt")
    date_hierarchy = "submitted_at"
    readonly_fields = (
        "student",
        "prompt",
        "text",
        "status",
        "scoring",
        "draft_version",
        "submission_key",
        "word_count",
        "started_at",
        "saved_at",
        "submitted_at",
        "seconds_spent",
    )
    inlines = [ScoreInline]

    def has_add_permission(self, request):
        return False
