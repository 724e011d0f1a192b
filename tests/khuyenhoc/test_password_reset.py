"""Staff who forgot their password get a reset link by e-mail, in Vietnamese."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.khuyenhoc.test_admin_wording import offending_phrases, visible_text


def test_the_login_page_offers_a_password_reset(db):
    response = Client().get(reverse("admin:login"))

    content = response.content.decode()
    assert "Quên mật khẩu?" in content
    assert reverse("admin_password_reset") in content


def test_a_reset_request_answers_the_same_whether_the_address_exists_or_not(db):
    UserFactory(username="canbo", email="canbo@example.org")
    client = Client()
    form = client.get(reverse("admin_password_reset"))
    assert not offending_phrases(visible_text(form.content.decode()))

    known = client.post(reverse("admin_password_reset"), {"email": "canbo@example.org"})
    unknown = client.post(reverse("admin_password_reset"), {"email": "khong-co@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["canbo@example.org"]
    done = client.get(reverse("password_reset_done"))
    assert not offending_phrases(visible_text(done.content.decode()))


def test_the_mailed_link_sets_a_new_password(db):
    user = UserFactory(username="canbo", email="canbo@example.org")
    client = Client()
    client.post(reverse("admin_password_reset"), {"email": "canbo@example.org"})
    message = mail.outbox[0]
    assert "mật khẩu" in (message.subject + message.body).lower()
    link = re.search(r"http://testserver(/admin/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert not offending_phrases(visible_text(form_page.content.decode()))
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi-2025!", "new_password2": "Mat-khau-moi-2025!"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2025!")


def test_the_reset_mail_is_written_in_vietnamese(db):
    UserFactory(username="canbo", email="canbo@example.org")

    Client().post(reverse("admin_password_reset"), {"email": "canbo@example.org"})

    message = mail.outbox[0]
    assert not offending_phrases(message.subject + "\n" + message.body)
    assert not re.search(r"\b(Please|password|Thanks|username)\b", message.body)
