"""The condition library: what each condition is, from the knowledge base alone."""

from legpain.library._content import (
    ConditionPage,
    Group,
    check_groups,
    condition_page,
    group_of,
    groups,
    search,
    signs,
    unsafe_here,
)

__all__ = [
    "ConditionPage",
    "Group",
    "check_groups",
    "condition_page",
    "group_of",
    "groups",
    "search",
    "signs",
    "unsafe_here",
]
