"""The guide: sections, ranked search and the scoring settings in force."""

from __future__ import annotations

import dataclasses

from iqcadence_desktop.services.analytics import HELP_TABS, slug
from iqcadence_desktop.services.container import Services


def test_every_tab_has_an_overview_and_sections(services: Services) -> None:
    for key, title in HELP_TABS:
        sections = services.help.sections(key)
        assert sections[0].id == "overview" and sections[0].tab_title == title
        assert len(sections) >= 4
        assert len({s.id for s in sections}) == len(sections)


def test_slugs_and_topics() -> None:
    assert slug("CSM Performance") == "csm-performance"
    assert slug("Import / Export") == "import-export"
    assert slug("Weights & Config") == "weights-config"


def test_find_a_topic(services: Services) -> None:
    section = services.help.find("pages/segments")
    assert section is not None and section.title == "Segments"
    assert services.help.find("pages") is not None  # a tab alone gives its first section
    assert services.help.find("pages/nothing-here") is None
    assert services.help.find("nowhere/segments") is None


def test_search_ranks_the_best_section_first(services: Services) -> None:
    hits = services.help.search("export calendar ics")
    assert hits[0].section.topic in ("data_reports/calendar-files", "pages/calendar")
    assert services.help.search("snooze")[0].section.topic == "pages/alerts"
    assert services.help.search("bulkshe")[0].section.topic == "data_reports/exporting"  # prefix
    assert services.help.search("zzzz") == []
    assert services.help.search("   ") == []
    hit = services.help.search("renewal windows")[0]
    assert "renewal" in hit.snippet.lower()


def test_scoring_tab_shows_the_weights_and_bands_in_force(services: Services) -> None:
    text = services.help.find("scoring/weights-and-missing-signals")
    assert text is not None and "| Logins (30 d) | 25 % |" in text.markdown
    config = services.config.current()
    weights = dict(config.weights, logins=35.0, adoption=15.0)
    bands = dataclasses.replace(config.bands, at_risk=30)
    services.config.save(dataclasses.replace(config, weights=weights, bands=bands))
    weights_md = services.help.find("scoring/weights-and-missing-signals")
    bands_md = services.help.find("scoring/bands")
    assert weights_md is not None and "| Logins (30 d) | 35 % |" in weights_md.markdown
    assert bands_md is not None and "| Critical | 0–29 |" in bands_md.markdown
    assert "{{" not in "".join(s.markdown for s in services.help.sections("scoring"))


def test_scoring_profiles_are_listed(services: Services) -> None:
    profiles = services.help.find("scoring/weights-and-missing-signals")
    assert profiles is not None and "No scoring profiles are set up" in profiles.markdown
    weights = {
        "logins": 40,
        "adoption": 20,
        "tickets": 20,
        "nps": 10,
        "csat": 0,
        "days": 10,
        "growth": 0,
    }
    services.config.save_profile("Enterprise focus", weights)
    profiles = services.help.find("scoring/weights-and-missing-signals")
    assert profiles is not None and "| Enterprise focus | 0 | 40 % |" in profiles.markdown
