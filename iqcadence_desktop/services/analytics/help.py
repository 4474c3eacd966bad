"""Help & Guide (S5): the guide's markdown, split into sections, searched and filled in.

The guide lives in `resources/help/<tab>.md`, one file per tab; each `## ` heading starts
a section whose id is its slug ("CSM Performance" -> "csm-performance"), so a page's
help topic is "pages/<slug of its title>". `{{...}}` placeholders in the Scoring tab
are replaced with the weights, bands and settings in force when the guide is read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from iqcadence_desktop.paths import resource_path
from iqcadence_desktop.services.scoring import (
    BAND_LABELS,
    SIGNAL_LABELS,
    TIER_LABELS,
    ConfigService,
    ScoringConfig,
)

TABS: tuple[tuple[str, str], ...] = (
    ("getting_started", "Getting Started"),
    ("pages", "Pages"),
    ("scoring", "Scoring"),
    ("data_reports", "Data & Reports"),
    ("automation", "Automation"),
)
TITLE_WEIGHT = 3.0
SNIPPET = 90
_WORD = re.compile(r"[a-z0-9]+")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def slug(title: str) -> str:
    """'CSM Performance' -> 'csm-performance'; 'Import / Export' -> 'import-export'."""
    return "-".join(_WORD.findall(title.lower()))


class HelpSection(NamedTuple):
    """One section of a tab: its id, heading and markdown (heading included)."""

    tab: str
    tab_title: str
    id: str
    title: str
    markdown: str

    @property
    def topic(self) -> str:
        return f"{self.tab}/{self.id}"

    @property
    def text(self) -> str:
        """The section's body as plain words, heading left out (for search and snippets)."""
        body = self.markdown.split("\n", 1)[1] if self.markdown.startswith("#") else ""
        plain = re.sub(r"[#*`|>_\[\]]", " ", body or self.markdown)
        return re.sub(r"\s+", " ", plain.replace("---", " ")).strip()


class HelpHit(NamedTuple):
    section: HelpSection
    score: float
    snippet: str


class HelpService:
    """Reads the guide (with the current settings filled in) and searches it."""

    def __init__(self, config: ConfigService, folder: Path | None = None) -> None:
        self._config = config
        self._folder = folder or resource_path("help")

    def tabs(self) -> tuple[tuple[str, str], ...]:
        return TABS

    def sections(self, tab: str) -> list[HelpSection]:
        titles = dict(TABS)
        if tab not in titles:
            raise KeyError(tab)
        text = (self._folder / f"{tab}.md").read_text(encoding="utf-8")
        profiles = [(p.name, p.customers, p.weights) for p in self._config.profiles()]
        return split_sections(tab, titles[tab], fill(text, self._config.current(), profiles))

    def all_sections(self) -> list[HelpSection]:
        return [s for tab, _ in TABS for s in self.sections(tab)]

    def find(self, topic: str) -> HelpSection | None:
        """The section for 'tab/section-id' (or the tab's first one for 'tab')."""
        tab, _, section = topic.partition("/")
        if tab not in dict(TABS):
            return None
        found = self.sections(tab)
        if not section:
            return found[0] if found else None
        return next((s for s in found if s.id == section), None)

    def search(
        self, query: str, sections: list[HelpSection] | None = None, limit: int = 15
    ) -> list[HelpHit]:
        """Sections (the whole guide, or those given) ranked by how well they match
        every word of `query`."""
        return rank(self.all_sections() if sections is None else sections, query, limit)


def split_sections(tab: str, tab_title: str, text: str) -> list[HelpSection]:
    """The tab's intro (under its `# ` title) and one section per `## ` heading."""
    parts = re.split(r"(?m)^## ", text)
    intro = parts[0].strip()
    title_match = re.match(r"# (.+)", intro)
    intro_title = title_match.group(1).strip() if title_match else tab_title
    out = [HelpSection(tab, tab_title, "overview", intro_title, intro)] if intro else []
    for part in parts[1:]:
        heading, _, _body = part.partition("\n")
        title = heading.strip()
        out.append(HelpSection(tab, tab_title, slug(title), title, "## " + part.strip()))
    return out


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def rank(sections: list[HelpSection], query: str, limit: int) -> list[HelpHit]:
    """A small BM25-like ranking: matches in headings count triple, rare words more, and a
    section with every query word beats one with only some. The last word matches as a
    prefix, so results appear while a word is still being typed."""
    terms = _tokens(query)
    if not terms:
        return []
    docs = [(s, _tokens(s.title), _tokens(s.text)) for s in sections]
    matchers = [_matcher(t, last=i == len(terms) - 1) for i, t in enumerate(terms)]
    df = [sum(1 for _, t, b in docs if any(m(w) for w in t + b)) for m in matchers]
    hits = []
    for section, title, body in docs:
        score, matched = 0.0, 0
        for m, n in zip(matchers, df, strict=True):
            tf = TITLE_WEIGHT * sum(map(m, title)) + sum(map(m, body))
            if tf:
                matched += 1
                idf = math.log(1 + len(docs) / n)
                score += idf * tf / (tf + 1.2 * (0.25 + 0.75 * len(body) / 150))
        if matched:
            score *= (matched / len(terms)) ** 2
            hits.append(HelpHit(section, score, snippet(section.text, terms)))
    hits.sort(key=lambda h: (-h.score, h.section.tab_title, h.section.title))
    return hits[:limit]


def _matcher(term: str, last: bool) -> Callable[[str], bool]:
    stem = term[:-1] if len(term) > 4 and term.endswith("s") else term
    if last or len(stem) >= 4:
        return lambda word: word.startswith(stem)
    return lambda word: word == term


def snippet(text: str, terms: list[str]) -> str:
    """About 180 characters around the first matching word."""
    lower = text.lower()
    at = min((lower.find(t) for t in terms if t in lower), default=0)
    start = max(0, at - SNIPPET)
    piece = text[start : at + SNIPPET].strip()
    return ("…" if start else "") + piece + ("…" if at + SNIPPET < len(text) else "")


# -- the current settings, written into the Scoring tab ---------------------------------
Profiles = list[tuple[str, int, dict[str, float]]]


def fill(text: str, config: ScoringConfig, profiles: Profiles | None = None) -> str:
    values = {
        "signals": _signals(config),
        "weights": _weights(config),
        "profiles": _profiles(config, profiles or []),
        "bands": _bands(config),
        "cadence": _cadence(config),
        "renewal": _renewal(config),
        "momentum_points": f"{config.momentum_points:g}",
    }
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _signals(config: ScoringConfig) -> str:
    p = config.params
    rows = [
        ("logins", f"logins ÷ {p.login_saturation} × 100, full marks from {p.login_saturation}"),
        ("adoption", "the adoption percentage itself"),
        (
            "tickets",
            f"(1 − tickets ÷ {p.ticket_saturation}) × 100, zero from {p.ticket_saturation}",
        ),
        (
            "nps",
            f"promoter (9–10) {p.nps_promoter:g}, passive (7–8) {p.nps_passive:g}, "
            f"detractor (0–6) {p.nps_detractor:g}",
        ),
        ("csat", "(CSAT − 1) ÷ 4 × 100"),
        (
            "days",
            f"(1 − days ÷ {p.contact_saturation}) × 100, zero from {p.contact_saturation} days",
        ),
        (
            "growth",
            f"strong {p.growth_strong:g}, mild {p.growth_mild:g}, none {p.growth_none:g}; "
            "n/a is left out",
        ),
    ]
    lines = ["| Signal | Points |", "|---|---|"]
    lines += [f"| {SIGNAL_LABELS[k]} | {v} |" for k, v in rows]
    return "\n".join(lines)


def _weights(config: ScoringConfig) -> str:
    weights = config.effective_weights()
    lines = ["| Signal | Weight |", "|---|---|"]
    for key, weight in weights.items():
        note = " (CSAT is switched off)" if key == "csat" and not config.csat_enabled else ""
        lines.append(f"| {SIGNAL_LABELS[key]} | {weight:g} %{note} |")
    return "\n".join(lines)


def _profiles(config: ScoringConfig, profiles: Profiles) -> str:
    if not profiles:
        return "_No scoring profiles are set up: every account uses the weights above._"
    signals = list(config.effective_weights())
    head = "| Profile | Accounts | " + " | ".join(SIGNAL_LABELS[k] for k in signals) + " |"
    lines = [head, "|---" * (len(signals) + 2) + "|"]
    for name, customers, weights in profiles:
        chosen = config.effective_weights(weights)
        cells = " | ".join(f"{chosen[k]:g} %" for k in signals)
        lines.append(f"| {name} | {customers:,} | {cells} |")
    return "\n".join(lines)


def _bands(config: ScoringConfig) -> str:
    b = config.bands
    edges = [
        ("critical", 0, b.at_risk - 1),
        ("at_risk", b.at_risk, b.watch - 1),
        ("watch", b.watch, b.healthy - 1),
        ("healthy", b.healthy, b.expansion - 1),
        ("expansion", b.expansion, 100),
    ]
    lines = ["| Band | Scores |", "|---|---|"]
    lines += [f"| {BAND_LABELS[k]} | {lo}–{hi} |" for k, lo, hi in edges]
    return "\n".join(lines)


def _cadence(config: ScoringConfig) -> str:
    lines = ["| Tier | Due soon after | Overdue after |", "|---|---|---|"]
    for tier, rule in config.cadence.items():
        label = TIER_LABELS.get(tier, tier)
        lines.append(f"| {label} | {rule.due_soon} days | {rule.overdue} days |")
    return "\n".join(lines)


def _renewal(config: ScoringConfig) -> str:
    r = config.renewal
    return (
        f"critical within {r.critical} days, warning within {r.warning}, "
        f"upcoming within {r.upcoming}"
    )
