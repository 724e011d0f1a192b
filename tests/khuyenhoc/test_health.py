from __future__ import annotations

from django.test import Client


def test_health_probe_answers_ok_without_touching_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_health_probe_over_plain_http_is_not_redirected_to_https(db, settings):
    # A load balancer probes the app server directly, without TLS, while readers are sent on.
    settings.SECURE_SSL_REDIRECT = True

    assert Client().get("/healthz").status_code == 200
    assert Client().get("/").status_code == 301


def test_health_probe_refuses_writes(db):
    assert Client().post("/healthz").status_code == 405
