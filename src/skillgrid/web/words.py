"""One phrase for each assessment state, worded for who reads it: the team page, the
assessment page and the manager column all say the same thing (docs/concepts.md, "States
in words")."""

from __future__ import annotations

MANAGER, SELF = "manager", "self"

# a rating as the assessment page's choices name it
RATING_WORDS = {
    "not_yet": "Not yet",
    "developing": "Developing",
    "meets": "Meets",
    "exceeds": "Exceeds",
    "n/a": "N/A",
}

# who reads: the author (who may still edit), the one who finalizes, the person assessed
# reading someone else's assessment of them, anyone else
AUTHOR, FINALIZER, PERSON, OTHER = "author", "finalizer", "person", "other"


def state_words(state: str | None, rater: str, reader: str) -> str:
    """The state of a ``rater`` assessment as ``reader`` should read it (``None``: none
    stored yet)."""
    if state is None:
        return "not started"
    if state == "draft":
        return "draft — only you see it until you submit" if reader == AUTHOR else "draft"
    if state == "finalized":
        return "finalized — the official result, read-only"
    if rater == MANAGER:
        return {
            FINALIZER: "waiting for you to finalize",
            PERSON: "submitted — waiting for your manager to finalize",
        }.get(reader, "submitted — waiting for the manager to finalize")
    if reader == AUTHOR:
        return "submitted — you can still edit while the cycle is open; every change is shown"
    return "submitted"


def unrated_words(unrated: int, total: int) -> str:
    """Said before submitting an assessment with criteria left unrated (the page's script
    says the same as they change: static/app.js ``unratedWords``)."""
    verb = "is" if unrated == 1 else "are"
    return (
        f"{unrated} of {total} criteria {verb} not rated yet; "
        "a criterion left unrated counts as not met."
    )


def submit_consequence(rater: str, person: str, cycle: str) -> str:
    """What submitting an assessment does, said before it is done."""
    if rater == SELF:
        return (
            f"Submitting saves your changes and shows this self-assessment to your manager; "
            f"you can still edit it while {cycle} is open, and they see every change."
        )
    if rater == MANAGER:
        return (
            f"Submitting saves your changes and shows this assessment to {person}; you can "
            "still edit it until you finalize it."
        )
    return (
        f"Submitting saves your changes and shows your ratings to {person} and their "
        f"manager; you can still edit them while {cycle} is open."
    )
