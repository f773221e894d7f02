"""Directory logic: folding, search in the database's text index, changes, verification."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from kimweb.directory import services
from kimweb.directory.models import Change, FocusArea
from kimweb.directory.search import fold, index_text, tokens
from kimweb.extensions import db


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Düren", "dueren"),
        ("DÜREN", "dueren"),
        ("Dueren", "dueren"),
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("Jülich", "juelich"),
        ("Nörvenich", "noervenich"),
        ("Vettweiß", "vettweiss"),
        ("Café  Crème", "cafe creme"),
        ("Şükrü Çelik", "suekrue celik"),
        ("Yılmaz", "yilmaz"),
        ("Łukasz Søren", "lukasz soren"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_index_text_spells_out_streets_and_drops_accents():
    assert index_text("Bismarckstr. 16") == "bismarckstr. 16 bismarckstrasse"
    assert index_text("Kölner Str. 3") == "koelner str. 3 kolner str. 3 strasse"
    assert index_text("Şükrü") == "suekrue sukru"
    assert index_text("Markt") == "markt"


def test_tokens_are_safe_for_the_text_index():
    assert tokens('cari "OR" * Düren-Nord (x)') == ["cari", "or", "dueren", "nord"]
    assert tokens("   ") == []
    assert len(tokens("ab " * 50)) == 8
    assert tokens("m") == []  # one letter: no text condition


def focus(key: str) -> int:
    return db.session.scalar(sa.select(FocusArea.id).where(FocusArea.key == key))


@pytest.fixture
def directory(app_ctx, make_user):
    user = make_user("pflege")
    caritas = services.save_organisation(
        None,
        {
            "name": "Caritasverband für die Region Düren-Jülich",
            "short_name": "Caritas",
            "kind": "provider",
            "street": "Kölnstraße 12",
            "postal_code": "52351",
            "town": "Düren",
            "municipalities": ["Düren", "Nideggen"],
            "languages": ["de", "ar"],
            "focus_area_ids": [focus("psychosocial"), focus("welcome")],
        },
        user,
    )
    awo = services.save_organisation(
        None,
        {
            "name": "AWO Kreisverband Düren",
            "kind": "provider",
            "town": "Jülich",
            "municipalities": ["Jülich"],
            "focus_area_ids": [focus("labour")],
        },
        user,
    )
    person = services.save_contact(
        None,
        {
            "organisation_id": caritas.id,
            "name": "Leyla Demir",
            "function": "Psychosoziale Beratung",
            "email": "l.demir@caritas.example",
            "languages": ["tr", "de"],
        },
        user,
    )
    return {"user": user, "caritas": caritas, "awo": awo, "person": person}


def names(query: services.DirectoryQuery) -> list[str]:
    hits = services.load_hits(list(db.session.scalars(services.search_query(query))))
    return [hit.entry.name for hit in hits]


def test_prefix_search_across_fields(directory):
    assert names(services.DirectoryQuery(q="cari")) == [
        "Caritasverband für die Region Düren-Jülich",
        "Leyla Demir",
    ]
    assert names(services.DirectoryQuery(q="dem")) == ["Leyla Demir"]
    assert names(services.DirectoryQuery(q="psychosoz")) == [
        "Caritasverband für die Region Düren-Jülich",  # focus area, German label
        "Leyla Demir",  # function
    ]
    assert names(services.DirectoryQuery(q="Dueren kölnstrasse"))[0].startswith("Caritas")
    assert names(services.DirectoryQuery(q="juelich awo")) == ["AWO Kreisverband Düren"]
    assert names(services.DirectoryQuery(q="tuerkisch")) == ["Leyla Demir"]
    assert names(services.DirectoryQuery(q="nichtvorhanden")) == []


def test_turkish_names_are_found_with_and_without_accents(directory):
    org, user = directory["awo"], directory["user"]
    services.save_contact(None, {"organisation_id": org.id, "name": "Şükrü Çelik"}, user)
    for query in ("sukru", "Şükrü", "suekrue", "celik", "Çelik"):
        assert names(services.DirectoryQuery(q=query)) == ["Şükrü Çelik"], query


def test_filters(directory):
    nideggen_psy = services.DirectoryQuery(municipality="Nideggen", focus=focus("psychosocial"))
    assert names(nideggen_psy) == ["Caritasverband für die Region Düren-Jülich", "Leyla Demir"]
    assert names(services.DirectoryQuery(municipality="Jülich")) == ["AWO Kreisverband Düren"]
    assert names(services.DirectoryQuery(language="tr")) == ["Leyla Demir"]
    assert names(services.DirectoryQuery(language="ar")) == [
        "Caritasverband für die Region Düren-Jülich"
    ]
    assert names(services.DirectoryQuery(kind="office")) == []
    assert names(services.DirectoryQuery(show="contacts")) == ["Leyla Demir"]


def test_changes_are_recorded_and_the_index_follows(directory):
    caritas, user = directory["caritas"], directory["user"]
    services.save_organisation(caritas, {"name": "Caritas Düren-Jülich", "town": "Jülich"}, user)
    changes = services.history(caritas)
    assert changes[0].action == "updated" and changes[-1].action == "created"
    fields = {c["field"]: (c["old"], c["new"]) for c in changes[0].changes}
    assert fields == {
        "name": ("Caritasverband für die Region Düren-Jülich", "Caritas Düren-Jülich"),
        "town": ("Düren", "Jülich"),
    }
    assert changes[0].user.username == "pflege"
    assert "Leyla Demir" in names(services.DirectoryQuery(q="caritas juelich"))
    # Saving without a change records nothing.
    services.save_organisation(caritas, {"name": "Caritas Düren-Jülich"}, user)
    assert len(services.history(caritas)) == 2


def test_archive_hides_and_restore_shows(directory):
    caritas, user = directory["caritas"], directory["user"]
    services.set_archived(caritas, True, user)
    assert names(services.DirectoryQuery(q="cari")) == []
    assert len(names(services.DirectoryQuery(q="cari", archived=True))) == 2
    services.set_archived(caritas, False, user)
    assert len(names(services.DirectoryQuery(q="cari"))) == 2
    actions = [c.action for c in services.history(caritas)]
    assert actions[:2] == ["restored", "archived"]


def test_needs_checking(directory):
    person, user = directory["person"], directory["user"]
    today = date.today()
    assert not services.needs_checking(person.verified_on)
    services.mark_verified(person, user, today=today - timedelta(days=366))
    assert services.needs_checking(person.verified_on)
    assert names(services.DirectoryQuery(needs_check=True)) == ["Leyla Demir"]
    services.mark_verified(person, user)
    assert names(services.DirectoryQuery(needs_check=True)) == []


def test_delete_for_good_removes_people_history_and_index(directory):
    caritas = directory["caritas"]
    services.delete_for_good(caritas)
    assert names(services.DirectoryQuery(q="demir")) == []
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Change.id)).where(Change.organisation_id == caritas.id)
        )
        == 0
    )


def test_search_uses_a_constant_number_of_statements(directory, app_ctx):
    statements = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    names(services.DirectoryQuery(q="cari", municipality="Nideggen"))
    first = len(statements)
    user = directory["user"]
    for i in range(30):
        org = services.save_organisation(
            None,
            {
                "name": f"Caritas Zweigstelle {i}",
                "kind": "provider",
                "municipalities": ["Nideggen"],
            },
            user,
        )
        services.save_contact(None, {"organisation_id": org.id, "name": f"Person {i}"}, user)
    statements.clear()
    assert len(names(services.DirectoryQuery(q="cari", municipality="Nideggen"))) == 62
    assert len(statements) == first


def test_both_plans_give_the_same_rows(directory):
    user = directory["user"]
    for i in range(12):
        org = services.save_organisation(None, {"name": f"Beratung {i:02d}"}, user)
        services.save_contact(None, {"organisation_id": org.id, "name": f"Berater {i}"}, user)
    for query in (
        services.DirectoryQuery(q="ber"),
        services.DirectoryQuery(municipality="Düren"),
        services.DirectoryQuery(q="xyzzy"),
        services.DirectoryQuery(),
    ):
        few = list(db.session.scalars(services.search_query(query)))
        many = list(db.session.scalars(services.search_query(query, many=True)))
        assert [e.id for e in few] == [e.id for e in many]


def test_capped_pagination(directory, app_ctx):
    from kimweb.pagination import CappedPagination

    user = directory["user"]
    for i in range(7):
        services.save_organisation(None, {"name": f"Zweigstelle {i}"}, user)
    query = services.search_query(services.DirectoryQuery(q="zweigstelle"))
    page = CappedPagination(query, page=1, per_page=3, cap=5)
    assert page.is_capped and page.total == 6 and page.pages == 2 and len(page.items) == 3
    last = CappedPagination(query, page=99, per_page=3, cap=None)
    assert last.page == 3 and [e.sort_key for e in last.items] == ["zweigstelle 6"]
    none = CappedPagination(services.search_query(services.DirectoryQuery(q="xyzzy")), 1, 3)
    assert none.total == 0 and none.items == [] and none.pages == 0


def test_entries_to_check_are_counted_only_up_to_the_cap(app_ctx, monkeypatch):
    """The start page counts as the search does: never a hundred thousand rows."""
    old = date.today() - timedelta(days=400)
    for n in range(4):
        org = services.save_organisation(None, {"name": f"Träger {n}"}, None)
        org.verified_on = old
        db.session.execute(
            sa.update(services.SearchEntry)
            .where(services.SearchEntry.organisation_id == org.id)
            .values(verified_on=old)
        )
    db.session.commit()
    assert services.needs_checking_summary()[0] == 4
    monkeypatch.setattr(services, "COUNT_CAP", 2)
    total, first = services.needs_checking_summary(limit=1)
    assert total == 3  # cap + 1: "more than 2"
    assert [hit.organisation.name for hit in first] == ["Träger 0"]
