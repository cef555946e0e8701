"""The crawlers that gather pages to train AI models, by the name robots.txt knows them.

robots.txt refuses each of them everything while `REFUSE_AI_CRAWLERS` is on (the default).
Search engines' crawlers (Googlebot, Bingbot, Applebot), link previews and the fetchers a
person sets off by asking an assistant about one page are not here: only the names their
operators document for gathering text in bulk for models. Keep the list sorted, without regard
to case; a name is the User-agent token its operator documents.
"""

from __future__ import annotations

AI_CRAWLERS: tuple[str, ...] = (
    "AI2Bot",
    "Ai2Bot-Dolma",
    "Amazonbot",
    "anthropic-ai",
    "Applebot-Extended",
    "Bytespider",
    "CCBot",
    "ClaudeBot",
    "cohere-ai",
    "cohere-training-data-crawler",
    "Diffbot",
    "FacebookBot",
    "Google-CloudVertexBot",
    "Google-Extended",
    "GPTBot",
    "ImagesiftBot",
    "Kangaroo Bot",
    "meta-externalagent",
    "omgili",
    "omgilibot",
    "PanguBot",
    "PerplexityBot",
    "Timpibot",
    "VelenPublicWebCrawler",
    "webzio-extended",
    "YouBot",
)
