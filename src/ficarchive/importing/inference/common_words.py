"""Words that never make a name distinctive on their own.

`STOP`: articles, pronouns, prepositions, conjunctions, auxiliaries and modal verbs, and the
words that open sentences in dialogue: never a name word ("The Goose Girl" is named by
"goose girl", and "the" counts for nothing). `TITLES`: ranks, roles and kin that stories
capitalize before or instead of a name ("the Doctor", "the Queen", "Mother"): a name made only
of these and stop words is never evidence of a fandom.

Everything else is judged by the text itself (see `evidence`): a word it also writes in
lowercase ("will", "hope", "grace", "rose") is an ordinary word there.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ARTICLES = _words("the a an")
STOP = _words(
    """
    a an the of and or nor but so yet for to in on at by from with without into onto upon
    over under about above below after before between through during against among around
    off out up down near past since till until than then as if because though although while
    where when what who whom whose which why how that this these those there here
    i me my mine we us our ours you your yours he him his she her hers it its they them their
    theirs myself yourself himself herself itself ourselves themselves
    is am are was were be been being have has had having do does did done
    will would shall should can could may might must ought
    not no yes oh ah ok okay well now just only also too very all any some each every both
    either neither none one ones other another such own same more most much many few less
    le la les de du des da di del della von van der den ter y el los las et und
    mr mrs ms miss dr st
    """
)

TITLES = _words(
    """
    doctor captain king queen prince princess lord lady sir madam mister master mistress
    emperor empress duke duchess count countess baron baroness knight dame general major
    colonel sergeant lieutenant commander admiral chief officer detective inspector agent
    professor teacher headmaster nurse father mother brother sister uncle aunt cousin
    grandfather grandmother grandma grandpa granny mom mum dad daddy mama papa son daughter
    boy girl man woman child baby old young little big great good bad new first last
    mr mrs ms miss saint pope priest bishop president senator judge
    """
)
