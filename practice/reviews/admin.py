from django.contrib import admin

from .models import CommentBankEntry, MarkOverride, Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews are written on the mentor dashboard; the admin shows them and can free a claim
    stuck on a mentor who left, but does not edit marks (that would bypass the history)."""

    list_display = (
        "answer",
        "mentor",
        "final_marks",
        "reviewed_at",
        "claimed_by",
        "claim_expires_at",
        "seen_by_student_at",
    )
    list_filter = ("reviewed_at", "auto_marks_changed")
    search_fields = ("answer__student__username", "mentor__username", "answer__prompt__slug")
    list_select_related = ("answer__student", "answer__prompt", "mentor", "claimed_by")
    readonly_fields = (
        "answer",
        "mentor",
        "final_marks",
        "comment",
        "concept_judgements",
        "reviewed_at",
        "seen_by_student_at",
        "auto_marks_changed",
        "claimed_at",
    )
    fields = readonly_fields + ("claimed_by", "claim_expires_at")
    raw_id_fields = ("claimed_by",)

    def has_add_permission(self, request):
        return False


@admin.register(MarkOverride)
class MarkOverrideAdmin(admin.ModelAdmin):
    """Append-only history: visible, never added, changed or deleted here."""

    list_display = ("answer", "mentor", "created_at", "old_marks", "new_marks", "reason")
    list_filter = ("created_at",)
    search_fields = ("answer__student__username", "mentor__username", "reason")
    list_select_related = ("answer__student", "answer__prompt", "mentor")
    readonly_fields = ("answer", "mentor", "created_at", "old_marks", "new_marks", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CommentBankEntry)
class CommentBankEntryAdmin(admin.ModelAdmin):
    list_display = ("mentor", "text", "created_at")
    search_fields = ("mentor__username", "text")
    list_select_related = ("mentor",)
