"""The site's URLs plus /bench/bare/: parse the registration JSON, INSERT one row, answer 201.

The bare view is the baseline bench/registration.py compares registering against: the same
middleware, the same body and one round trip to PostgreSQL, without DRF or the service.
"""

import json

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as site_urlpatterns

BARE_TABLE = "bench_bare_registration"
CREATE_BARE_TABLE = (  # run by bench/registration.py on its fresh database
    f"CREATE TABLE {BARE_TABLE} (id bigserial PRIMARY KEY, email varchar(254) NOT NULL UNIQUE,"
    " first_name varchar(100) NOT NULL, last_name varchar(100) NOT NULL,"
    " attendance_mode varchar(20) NOT NULL, consent boolean NOT NULL,"
    " created_at timestamptz NOT NULL DEFAULT now())"
)


@csrf_exempt
@require_POST
def bare(request):
    data = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BARE_TABLE} (email, first_name, last_name, attendance_mode, consent)"
            " VALUES (%s, %s, %s, %s, %s) RETURNING id",
            [
                data["email"].strip().lower(),
                data["first_name"],
                data["last_name"],
                data.get("attendance_mode", ""),
                data.get("consent") is True,
            ],
        )
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id, "status": "confirmed"}, status=201)


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
