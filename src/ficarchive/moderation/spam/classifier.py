"""The spam classifier: learns from moderators' "spam" / "not spam" decisions.

Interface (kept stable for `checking`):
- `spam_probability(text: str) -> float` in [0, 1]; 0.5 when nothing has been learnt yet.
"""

from __future__ import annotations


def spam_probability(text: str) -> float:
    return 0.5
