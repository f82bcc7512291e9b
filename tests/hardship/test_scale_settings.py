"""The settings for more than one machine: a replica and where files go, read from the
environment (each case in a fresh interpreter, as a real start would)."""

import json
import secrets

from test_settings import run

DEV = {"DEBUG": "1", "SECRET_KEY": secrets.token_urlsafe(50)}
SHOW = (
    "import json, hardship.settings as s; print(json.dumps({"
    "'databases': s.DATABASES, 'routers': getattr(s, 'DATABASE_ROUTERS', []), "
    "'middleware': s.MIDDLEWARE, 'storages': s.STORAGES}, default=str))"
)


def settings_with(tmp_path, **env) -> dict:
    result = run(["-c", SHOW], tmp_path, **DEV, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_a_replica_there_is_one_database_and_no_router(tmp_path):
    seen = settings_with(tmp_path, DATABASE_REPLICA_URL="")
    assert list(seen["databases"]) == ["default"]
    assert seen["routers"] == []
    assert "hardship.replica.RecentWriteMiddleware" not in seen["middleware"]


def test_a_replica_url_adds_the_replica_the_router_and_the_write_marker(tmp_path):
    seen = settings_with(
        tmp_path,
        DATABASE_URL="postgres://app@10.0.0.11:5432/hardship",
        DATABASE_REPLICA_URL="postgres://report@10.0.0.12:5432/hardship",
    )
    replica = seen["databases"]["replica"]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == (
        "10.0.0.12",
        "report",
        "hardship",
    )
    assert replica["TEST"] == {"MIRROR": "default"}  # tests never build a second database
    assert seen["routers"] == ["hardship.replica.PrimaryReplicaRouter"]
    middleware = seen["middleware"]
    marker = middleware.index("hardship.replica.RecentWriteMiddleware")
    assert middleware[marker - 1] == "django.contrib.auth.middleware.AuthenticationMiddleware"


def test_a_malformed_replica_url_refuses_to_start(tmp_path):
    result = run(["-c", "import hardship.settings"], tmp_path, **DEV, DATABASE_REPLICA_URL="x://")
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL is not a valid database URL" in result.stderr


def test_file_storages_are_local_unless_the_environment_names_a_backend(tmp_path):
    local = settings_with(tmp_path)["storages"]
    assert local["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert local["exports"] == {"BACKEND": "reports.storage.ExportStorage"}
    options = {"bucket_name": "hardship-exports", "default_acl": "private"}
    shared = settings_with(
        tmp_path,
        EXPORT_STORAGE_BACKEND="storages.backends.s3.S3Storage",
        EXPORT_STORAGE_OPTIONS=json.dumps(options),
    )["storages"]
    assert shared["exports"] == {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def test_storage_options_that_are_not_a_json_object_refuse_to_start(tmp_path):
    for value, message in (("{bucket", "is not JSON"), ("[1]", "must be a JSON object")):
        result = run(
            ["-c", "import hardship.settings"], tmp_path, **DEV, MEDIA_STORAGE_OPTIONS=value
        )
        assert result.returncode != 0
        assert f"MEDIA_STORAGE_OPTIONS {message}" in result.stderr
