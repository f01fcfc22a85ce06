"""The site's URLs plus the baselines bench/registration.py compares registering against.

Each parses the same registration JSON under the same middleware, with plain SQL and no DRF or
service:

- /bench/bare/: INSERT one row.
- /bench/capped/<cap|open>/: the same, plus lock the seat counter row, check the limit and
  UPDATE the counter (no outbox).
- /bench/rule1/<cap|open>/: exactly the transaction DESIGN rule 1 requires: lock, check and
  update the seat counter, insert the registration, insert its outbox row, and on commit wake
  the outbox sender the way the application does.
- /bench/rule1-api/<cap|open>/: the same transaction behind the API's own request handling: a
  DRF view that checks the body with the registration API's serializer (the 400s API.md
  promises) and answers through DRF. What any registration API built on DRF pays at least.

`cap` uses a counter limited to bench/registration.py's CAPACITY (then "waitlisted"), `open`
one without a limit.
"""

import json
import secrets

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.registrations import RegisterSerializer
from config.urls import urlpatterns as site_urlpatterns
from notifications import services as outbox

BARE_TABLE = "bench_bare_registration"
RULE1_TABLE = "bench_rule1_registration"
OUTBOX_TABLE = "bench_rule1_outbox"
COUNTER_TABLE = "bench_seat_counter"
CREATE_BARE_TABLES = [  # run by bench/registration.py on its fresh database
    f"CREATE TABLE {BARE_TABLE} (id bigserial PRIMARY KEY, email varchar(254) NOT NULL UNIQUE,"
    " first_name varchar(100) NOT NULL, last_name varchar(100) NOT NULL,"
    " attendance_mode varchar(20) NOT NULL, consent boolean NOT NULL,"
    " status varchar(20) NOT NULL DEFAULT 'confirmed',"
    " created_at timestamptz NOT NULL DEFAULT now())",
    f"CREATE TABLE {RULE1_TABLE} (LIKE {BARE_TABLE} INCLUDING ALL)",
    f"CREATE TABLE {OUTBOX_TABLE} (id bigserial PRIMARY KEY, kind varchar(40) NOT NULL,"
    " dedupe_key varchar(200) NOT NULL UNIQUE, to_email varchar(254) NOT NULL,"
    " status varchar(20) NOT NULL DEFAULT 'pending',"
    " created_at timestamptz NOT NULL DEFAULT now())",
    f"CREATE TABLE {COUNTER_TABLE} (key varchar(40) PRIMARY KEY, seat_limit int,"
    " taken int NOT NULL DEFAULT 0)",
]


def create_bare_tables(capacity):
    with connection.cursor() as cursor:
        for statement in CREATE_BARE_TABLES:
            cursor.execute(statement)
        for view in ("capped", "rule1", "rule1api"):
            cursor.execute(
                f"INSERT INTO {COUNTER_TABLE} (key, seat_limit) VALUES (%s, %s), (%s, NULL)",
                [f"{view}:cap", capacity, f"{view}:open"],
            )


def _row(data):
    return [
        data["email"].strip().lower(),
        data["first_name"],
        data["last_name"],
        data.get("attendance_mode", ""),
        data.get("consent") is True,
    ]


def _insert(cursor, table, data, status="confirmed"):
    cursor.execute(
        f"INSERT INTO {table} (email, first_name, last_name, attendance_mode, consent, status)"
        " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
        [*_row(data), status],
    )
    return cursor.fetchone()[0]


def _take_seat(cursor, key) -> str:
    """Lock the counter, check its limit, count the seat: the status the registrant gets."""
    cursor.execute(
        f"SELECT taken, seat_limit FROM {COUNTER_TABLE} WHERE key = %s FOR UPDATE", [key]
    )
    taken, limit = cursor.fetchone()
    if limit is not None and taken >= limit:
        return "waitlisted"
    cursor.execute(f"UPDATE {COUNTER_TABLE} SET taken = taken + 1 WHERE key = %s", [key])
    return "confirmed"


@csrf_exempt
@require_POST
def bare(request):
    data = json.loads(request.body)
    with connection.cursor() as cursor:
        row_id = _insert(cursor, BARE_TABLE, data)
    return JsonResponse({"id": row_id, "status": "confirmed"}, status=201)


@csrf_exempt
@require_POST
def capped(request, limit):
    data = json.loads(request.body)
    with transaction.atomic(), connection.cursor() as cursor:
        status = _take_seat(cursor, f"capped:{limit}")
        row_id = _insert(cursor, BARE_TABLE, data, status)
    return JsonResponse({"id": row_id, "status": status}, status=201)


def _rule1_transaction(data, counter):
    with transaction.atomic(), connection.cursor() as cursor:
        status = _take_seat(cursor, counter)
        row_id = _insert(cursor, RULE1_TABLE, data, status)
        kind = f"registration_{status}"
        cursor.execute(
            f"INSERT INTO {OUTBOX_TABLE} (kind, dedupe_key, to_email) VALUES (%s, %s, %s)"
            " RETURNING id",
            [kind, f"{kind}:{row_id}:{secrets.token_hex(4)}", data["email"]],
        )
        message_id = cursor.fetchone()[0]
        transaction.on_commit(lambda: outbox.wake_sender([message_id]))
    return row_id, status


@csrf_exempt
@require_POST
def rule1(request, limit):
    row_id, status = _rule1_transaction(json.loads(request.body), f"rule1:{limit}")
    return JsonResponse({"id": row_id, "status": status}, status=201)


class Rule1API(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request, limit):
        registering = RegisterSerializer(data=request.data)
        registering.is_valid(raise_exception=True)
        row_id, status = _rule1_transaction(registering.validated_data, f"rule1api:{limit}")
        return Response({"id": row_id, "status": status}, status=201)


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/rule1-api/<str:limit>/", Rule1API.as_view()),
    path("bench/capped/<str:limit>/", capped),
    path("bench/rule1/<str:limit>/", rule1),
    *site_urlpatterns,
]
