"""What changed between a re-attempt and the previous attempt at the same prompt."""


def compare_with_previous(answer) -> dict | None:
    return None
