"""Small closed word lists the mechanisms rely on.

Kept in one place so that each list can be read, reviewed and extended on its own. All
entries are lowercase; callers compare them with normalised (case-folded) tokens.
"""

from __future__ import annotations

# Function words: the glue of a sentence. They show that words form prose rather than a
# list, but on their own they say nothing about the question, so they count half as much
# as content words when the engine asks whether a keyword sits inside real writing.
STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    either else even ever few for from further had has have having he her here hers herself
    him himself his how i if in into is it its itself just least less let like many may me
    might more most much must my myself neither no nor not now of off often on once one only
    or other others ought our ours ourselves out over own per quite rather same shall she
    should since so some such than that the their theirs them themselves then there these
    they this those though through thus to too towards under until up upon us very via was
    we were what when where whether which while who whom whose why will with within without
    would yet you your yours yourself yourselves
    """.split()
)

# Words of a question that frame the task rather than name its subject. They are left out
# when the engine measures how far an answer stays on the question's subject.
TASK_WORDS: frozenset[str] = frozenset(
    """
    analyse analyze analysis argued assess called claim comment considered critically
    describe described discuss elaborate elucidate enumerate evaluate examine explain
    highlight identify illustrate justify outline reference regarded said seen state
    statement suggest termed view viewed way forward
    """.split()
)

# Markers of a counterpoint or a limitation, for directives that want both sides.
# Multi-word markers are matched as phrases on normalised words.
CONTRAST_WORDS: frozenset[str] = frozenset(
    """
    however although though nevertheless nonetheless notwithstanding despite whereas
    conversely yet but
    """.split()
)
CONTRAST_PHRASES: tuple[tuple[str, ...], ...] = (
    ("on", "the", "other", "hand"),
    ("at", "the", "same", "time"),
    ("even", "so"),
    ("not", "without"),
)
# Stems (snowball English) of nouns and adjectives that name a limitation.
LIMITATION_STEMS: frozenset[str] = frozenset(
    """
    limit challeng constraint drawback obstacl hurdl risk shortcom barrier caution
    cautious critic critiqu hesit downsid problem difficulti bottleneck setback gap
    friction imbal overst lag delay
    """.split()
)

# Families of dimensions an answer can cover, for "discuss"-type directives.
# Matched on snowball stems.
DIMENSION_FAMILIES: dict[str, frozenset[str]] = {
    "political": frozenset("polit diplomat diplomaci govern summit bilater multilater".split()),
    "economic": frozenset(
        "econom economi trade invest market export import busi commerc commerci".split()
    ),
    "strategic": frozenset("strateg secur defenc defens militari naval maritim armi".split()),
    "technological": frozenset("technolog innov research industri manufactur".split()),
    "cultural": frozenset("cultur peopl tourism educ student heritag soft".split()),
    "environmental": frozenset("environ environment climat ecolog energi".split()),
    "social": frozenset("social societi health welfar gender".split()),
    "institutional": frozenset("institut legal law framework agreement treati".split()),
}

# Markers of a reasoned view, for "comment"-type directives.
STANCE_WORDS: frozenset[str] = frozenset(
    """
    arguably clearly evidently therefore thus hence overall should must significant
    significance crucial vital important essential
    """.split()
)
STANCE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("in", "my", "view"),
    ("i", "believe"),
    ("i", "think"),
    ("on", "balance"),
    ("it", "is", "clear"),
    ("need", "to"),
    ("way", "forward"),
)
REASON_WORDS: frozenset[str] = frozenset(
    """because since therefore thus hence consequently so as given""".split()
)
REASON_PHRASES: tuple[tuple[str, ...], ...] = (
    ("due", "to"),
    ("as", "a", "result"),
    ("owing", "to"),
    ("this", "shows"),
    ("this", "means"),
)

# Headings that announce a part of the answer.
INTRODUCTION_HEADINGS: frozenset[str] = frozenset(
    "introduction intro background context overview".split()
)
CONCLUSION_HEADINGS: frozenset[str] = frozenset(
    "conclusion conclusions concluding summary way forward outlook".split()
)
CONCLUSION_OPENERS: tuple[tuple[str, ...], ...] = (
    ("in", "conclusion"),
    ("to", "conclude"),
    ("to", "sum", "up"),
    ("in", "sum"),
    ("in", "short"),
    ("overall",),
    ("thus",),
    ("therefore",),
    ("hence",),
    ("going", "forward"),
    ("the", "way", "forward"),
)

# Directive words, grouped by what an examiner expects of each.
BALANCE_DIRECTIVES: tuple[str, ...] = (
    "critically analyse",
    "critically analyze",
    "critically examine",
    "critically evaluate",
    "critically assess",
    "critically discuss",
    "analyse",
    "analyze",
    "examine",
    "evaluate",
    "assess",
)
DIMENSION_DIRECTIVES: tuple[str, ...] = (
    "discuss",
    "elucidate",
    "explain",
    "describe",
    "elaborate",
    "enumerate",
    "highlight",
    "illustrate",
    "outline",
)
VIEW_DIRECTIVES: tuple[str, ...] = (
    "critically comment",
    "comment",
    "justify",
    "substantiate",
    "do you agree",
    "give your views",
)
