"""The directory through the web: search, htmx fragment, forms, archive, exports, import."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa
import vobject

from kimweb.auth.models import User
from kimweb.directory import services
from kimweb.directory.models import Contact, FocusArea, Organisation
from kimweb.extensions import db
from tests.conftest import csrf_token


@pytest.fixture
def entries(app, login_as):
    """A signed-in staff member and a small directory."""
    staff = login_as("staff")
    with app.app_context():
        user = db.session.get(User, staff.id)
        psy = db.session.scalar(sa.select(FocusArea.id).where(FocusArea.key == "psychosocial"))
        caritas = services.save_organisation(
            None,
            {
                "name": "Caritasverband Düren",
                "short_name": "Caritas",
                "kind": "provider",
                "town": "Düren",
                "municipalities": ["Nideggen", "Düren"],
                "focus_area_ids": [psy],
            },
            user,
        )
        person = services.save_contact(
            None,
            {
                "organisation_id": caritas.id,
                "name": "Mira Schäfer",
                "function": "Beratung",
                "email": "m.schaefer@caritas.example",
                "phone": "02421 555-101",
            },
            user,
        )
        other = services.save_organisation(
            None,
            {
                "name": "Jobcenter job-com",
                "kind": "office",
                "town": "Jülich",
                "municipalities": ["Jülich"],
            },
            user,
        )
        return {"caritas": caritas.id, "person": person.id, "other": other.id, "psy": psy}


def results(client, url: str) -> str:
    """Only the results block (as htmx asks for it), without flash messages."""
    return client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)


def test_search_page_and_live_fragment(client, entries):
    page = client.get("/directory/?q=cari")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Caritasverband Düren" in html and "Mira Schäfer" in html
    assert "Jobcenter" not in html
    assert page.headers["Cache-Control"] == "no-store"
    fragment = client.get("/directory/?q=dueren", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="results"')
    assert "Caritasverband Düren" in body and "<html" not in body
    assert 'hx-swap-oob="innerHTML:#result-status"' in body


def test_pages_of_results_keep_the_search(app, client, entries):
    with app.app_context():
        for i in range(30):
            services.save_organisation(None, {"name": f"Beratungsstelle {i:02d}"}, None)
    html = client.get("/directory/?q=beratungsstelle&kind=").get_data(as_text=True)
    assert 'href="/directory/?q=beratungsstelle&amp;kind=&amp;page=2"' in html
    page2 = client.get("/directory/?q=beratungsstelle&page=2").get_data(as_text=True)
    assert "Beratungsstelle 29" in page2 and "Beratungsstelle 00" not in page2


def test_filters_and_folding(client, entries):
    html = client.get(
        f"/directory/?municipality=Nideggen&focus={entries['psy']}&show=contacts"
    ).get_data(as_text=True)
    assert "Mira Schäfer" in html and "Caritasverband Düren</a> <span" not in html
    assert "Jobcenter" in client.get("/directory/?q=juelich").get_data(as_text=True)
    assert "Mira" in client.get("/directory/?q=SCHAEFER").get_data(as_text=True)


def test_bad_filter_is_named_and_ignored(client, entries):
    response = client.get("/directory/?municipality=Atlantis&q=cari")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="municipality-error"' in html and "Caritasverband Düren" in html


def test_create_organisation_with_errors_keeps_input(client, entries):
    token = csrf_token(client, "/directory/organisations/new")
    response = client.post(
        "/directory/organisations/new",
        data={
            "name": "Neue Beratungsstelle",
            "kind": "counselling",
            "postal_code": "5235",
            "email": "keine-mail",
            "website": "nicht eine adresse",
            "phone": "abc",
            "municipalities": ["Titz"],
            "csrf_token": token,
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for name in ("postal_code", "email", "website", "phone"):
        assert f'id="{name}-error"' in html, name
    assert 'value="Neue Beratungsstelle"' in html
    assert re.search(r'<input checked[^>]*value="Titz"', html)
    response = client.post(
        "/directory/organisations/new",
        data={
            "name": "Neue Beratungsstelle",
            "kind": "counselling",
            "postal_code": "52445",
            "email": "info@beratung.example",
            "website": "www.beratung.example",
            "phone": "02463 555-10",
            "municipalities": ["Titz"],
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "https://www.beratung.example" in page and "Titz" in page


def test_edit_contact_records_history(app, client, entries):
    url = f"/directory/contacts/{entries['person']}/edit"
    response = client.post(
        url,
        data={
            "organisation_id": entries["caritas"],
            "name": "Mira Schäfer-Yilmaz",
            "function": "Beratung",
            "email": "m.schaefer@caritas.example",
            "phone": "02421 555-101",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Mira Schäfer-Yilmaz" in page
    assert re.search(r"<del>.*?</span>Mira Schäfer</del>", page)
    assert re.search(r"<ins>.*?</span>Mira Schäfer-Yilmaz</ins>", page)


def test_archive_restore_verify(app, client, entries):
    base = f"/directory/organisations/{entries['caritas']}"
    token = csrf_token(client, base)
    assert client.post(f"{base}/archive", data={"csrf_token": token}).status_code == 302
    assert "Caritasverband" not in results(client, "/directory/?q=cari")
    assert "Caritasverband" in results(client, "/directory/?q=cari&archived=y")
    assert client.post(f"{base}/restore", data={"csrf_token": token}).status_code == 302
    assert "Caritasverband" in results(client, "/directory/?q=cari")
    with app.app_context():
        org = db.session.get(Organisation, entries["caritas"])
        services.mark_verified(
            org, None, today=org.verified_on.replace(year=org.verified_on.year - 2)
        )
    assert "Caritasverband" in results(client, "/directory/?needs_check=y")
    response = client.post(
        f"{base}/verify", data={"csrf_token": token, "next": "/directory/?needs_check=y"}
    )
    assert response.location == "/directory/?needs_check=y"
    assert "Caritasverband" not in results(client, "/directory/?needs_check=y")


def test_needs_checking_list_has_one_click_verify(app, client, entries):
    with app.app_context():
        person = db.session.get(Contact, entries["person"])
        services.mark_verified(person, None, today=person.verified_on.replace(year=2020))
    html = results(client, "/directory/?needs_check=y")
    assert f'action="/directory/contacts/{entries["person"]}/verify"' in html
    response = client.post(
        f"/directory/contacts/{entries['person']}/verify",
        data={"csrf_token": csrf_token(client, "/directory/"), "next": "/directory/?needs_check=y"},
    )
    assert response.location == "/directory/?needs_check=y"
    assert "Mira" not in results(client, "/directory/?needs_check=y")
    page = client.get(f"/directory/contacts/{entries['person']}").get_data(as_text=True)
    assert "2020" in page  # the history shows the old date


def test_contact_of_an_archived_organisation_can_be_edited(app, client, entries):
    with app.app_context():
        services.set_archived(db.session.get(Organisation, entries["caritas"]), True, None)
    url = f"/directory/contacts/{entries['person']}/edit"
    response = client.post(
        url,
        data={
            "organisation_id": entries["caritas"],
            "name": "Mira Schäfer",
            "function": "Leitung",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert response.status_code == 302


def test_hostile_query_strings_do_not_break_pages(client, entries):
    for url in (
        "/directory/?endpoint=x&_external=1&q=cari",
        "/directory/?page=99999999999",
        "/directory/organisations/99999999999999999999",
        "/directory/export.vcf?contact=-1",
        "/directory/export.csv?organisation=99999999999999999999999",
        "/login?next=http://[",
        "/directory/?focus=abc&municipality=%00",
    ):
        response = client.get(url)
        assert response.status_code < 500, url
        assert "http://localhost" not in response.get_data(as_text=True), url


def test_public_contacts_only_flagged_and_active(app, entries):
    with app.app_context():
        org = db.session.get(Organisation, entries["caritas"])
        assert services.public_contacts(org) == []
        services.save_contact(
            None, {"organisation_id": org.id, "name": "Servicestelle", "is_publishable": True}, None
        )
        db.session.refresh(org)
        assert [c.name for c in services.public_contacts(org)] == ["Servicestelle"]
        services.set_archived(org, True, None)
        assert services.public_contacts(org) == []


def test_delete_for_good_is_for_admins_after_confirmation(app, client, entries, login_as):
    url = f"/directory/organisations/{entries['other']}/delete"
    assert client.get(url).status_code == 403
    assert (
        client.post(url, data={"csrf_token": csrf_token(client, "/directory/")}).status_code == 403
    )
    login_as("admin")
    assert "Jobcenter job-com" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, entries["other"]) is None


def test_exports_follow_the_search(client, entries):
    response = client.get("/directory/export.vcf?q=cari&show=contacts")
    assert response.mimetype == "text/vcard"
    cards = list(vobject.readComponents(response.get_data(as_text=True)))
    assert [card.fn.value for card in cards] == ["Mira Schäfer"]
    assert cards[0].email.value == "m.schaefer@caritas.example"
    response = client.get("/directory/export.csv?q=cari")
    data = response.get_data()
    assert response.mimetype == "text/csv" and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Organisation" and len(rows) == 3
    single = client.get(f"/directory/export.vcf?contact={entries['person']}")
    assert single.get_data(as_text=True).count("BEGIN:VCARD") == 1


CSV_FILE = (
    "Organisation;Name;Funktion;E-Mail;Telefon\r\n"
    "Caritasverband Düren;Mira Schäfer;Beratung;m.schaefer@caritas.example;02421 555-101\r\n"
    "Diakonie Jülich;Jonas Weber;Migrationsberatung;j.weber@diakonie.example;02461 555-20\r\n"
    "Diakonie Jülich;Ohne Adresse;;kaputt@;\r\n"
).encode("cp1252")


def test_import_preview_then_confirm_without_duplicates(app, client, entries):
    token = csrf_token(client, "/directory/import")
    response = client.post(
        "/directory/import",
        data={"file": (io.BytesIO(CSV_FILE), "liste.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Jonas Weber" in html
    with app.app_context():  # nothing written before confirmation
        assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 1
    upload = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post("/directory/import/confirm", data={"token": upload, "csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        names = set(db.session.scalars(sa.select(Contact.name)))
        assert names == {"Mira Schäfer", "Jonas Weber"}
    # The same file again creates nothing.
    html = client.post(
        "/directory/import",
        data={"file": (io.BytesIO(CSV_FILE), "liste.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    upload = re.search(r'name="token" value="([^"]+)"', html).group(1)
    client.post("/directory/import/confirm", data={"token": upload, "csrf_token": token})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 2


def test_import_rejects_a_missing_or_wrong_file(client, entries):
    token = csrf_token(client, "/directory/import")
    response = client.post("/directory/import", data={"csrf_token": token})
    assert response.status_code == 422 and 'id="file-error"' in response.get_data(as_text=True)
    response = client.post(
        "/directory/import",
        data={"file": (io.BytesIO(b"x"), "bild.png"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422


def test_someone_elses_upload_cannot_be_confirmed(app, client, entries, login_as):
    token = csrf_token(client, "/directory/import")
    html = client.post(
        "/directory/import",
        data={"file": (io.BytesIO(CSV_FILE), "liste.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    upload = re.search(r'name="token" value="([^"]+)"', html).group(1)
    login_as("staff")  # another user in the same browser
    response = client.post(
        "/directory/import/confirm",
        data={"token": upload, "csrf_token": csrf_token(client, "/directory/")},
    )
    assert response.status_code == 302 and response.location.endswith("/directory/import")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 1


def test_add_focus_area(client, entries):
    url = "/directory/focus-areas"
    token = csrf_token(client, url)
    assert client.post(url, data={"label": "", "csrf_token": token}).status_code == 422
    assert (
        client.post(url, data={"label": "Queere Beratung", "csrf_token": token}).status_code == 302
    )
    assert "Queere Beratung" in client.get("/directory/organisations/new").get_data(as_text=True)


def test_anonymous_sees_nothing(app, entries):
    anonymous = app.test_client()
    for url in (
        "/directory/",
        f"/directory/contacts/{entries['person']}",
        "/directory/export.vcf",
        "/directory/export.csv?q=mira",
    ):
        response = anonymous.get(url)
        assert response.status_code == 302 and "Mira" not in response.get_data(as_text=True)
