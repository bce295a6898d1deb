from .models import Review


def unread_review_count(student) -> int:
    return Review.objects.filter(
        answer__student=student, reviewed_at__isnull=False, seen_by_student_at__isnull=True
    ).count()


def student_review(answer) -> Review | None:
    """The finished review of `answer` as its student sees it, or None."""
    return None
