"""Where uploaded files go: this machine's disk by default, S3-compatible object storage
(MinIO in docker-compose.yml) when configured, private either way.

No S3 server runs here (MinIO is in none of the registries this machine reaches), so the S3
side is checked as configuration: the backend the settings choose, the options that keep
objects private, and the signed URL it would make. That the views stream a file from
whatever storage holds it, and never send the browser to the storage, is proven against
Django's in-memory storage (tests/conftest.py `object_storage`), in the views' own tests.
"""

import json

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages

from kvinnofrid.storage import private_storage
from nominations.models import Attachment
from publication.models import Announcement
from tests.kvinnofrid.test_configuration import PRODUCTION_ENV, _manage

S3_ENV = {
    "STORAGE_BUCKET": "kvinnofrid",
    "STORAGE_ENDPOINT_URL": "http://minio:9000",
    "STORAGE_ACCESS_KEY_ID": "kvinnofrid",
    "STORAGE_SECRET_ACCESS_KEY": "a-storage-secret",
}

# Run in a fresh process, since the settings read the environment once.
DESCRIBE_STORAGE = """
import json
from urllib.parse import parse_qs, urlsplit
from django.core.files.storage import storages
from nominations.models import Attachment
from publication.models import Announcement
private = storages["private"]
used = [
    storages["default"],
    private,
    Attachment._meta.get_field("file").storage,
    Announcement._meta.get_field("photo").storage,
]
url = urlsplit(private.url("nominations/2026/0123abcd"))
print(json.dumps({
    "backends": sorted({f"{type(s).__module__}.{type(s).__qualname__}" for s in used}),
    "fields_use_the_private_storage": all(s is private for s in used[2:]),
    "bucket": private.bucket_name,
    "endpoint": private.endpoint_url,
    "default_acl": private.default_acl,
    "object_parameters": private.object_parameters,
    "querystring_auth": private.querystring_auth,
    "custom_domain": private.custom_domain,
    "file_overwrite": private.file_overwrite,
    "url": [url.scheme, url.netloc, url.path],
    "signed_for": parse_qs(url.query).get("X-Amz-Expires"),
    "signed": "X-Amz-Signature" in parse_qs(url.query),
}))
"""


def _describe_storage(env: dict[str, str]) -> dict:
    result = _manage("shell", "--no-imports", "-c", DESCRIBE_STORAGE, env={**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_files_default_to_this_machines_disk_under_var():
    fields = [Attachment._meta.get_field("file"), Announcement._meta.get_field("photo")]
    used = [storages["default"], storages["private"], *(field.storage for field in fields)]

    assert [type(storage) for storage in used] == [FileSystemStorage] * 4
    assert {storage.location for storage in used} == {str(settings.MEDIA_ROOT)}
    assert settings.MEDIA_ROOT == settings.VAR_DIR / "media"
    # What a migration records: the function, not the storage this machine configured.
    assert [field.deconstruct()[3]["storage"] for field in fields] == [private_storage] * 2


def test_a_bucket_puts_every_file_in_private_s3_objects():
    described = _describe_storage(S3_ENV)

    assert described == {
        "backends": ["storages.backends.s3.S3Storage"],
        "fields_use_the_private_storage": True,
        "bucket": "kvinnofrid",
        "endpoint": "http://minio:9000",
        # No ACL on an object, so the bucket's own (private) policy holds; no public domain.
        "default_acl": None,
        "object_parameters": {},
        "querystring_auth": True,
        "custom_domain": None,
        "file_overwrite": False,
        # The bucket in the path: `kvinnofrid.minio` would not resolve.
        "url": ["http", "minio:9000", "/kvinnofrid/nominations/2026/0123abcd"],
        # Were a URL ever handed out, it would be signed and last a minute.
        "signed_for": ["60"],
        "signed": True,
    }


def test_a_bucket_without_credentials_refuses_to_start():
    env = {k: v for k, v in S3_ENV.items() if k != "STORAGE_SECRET_ACCESS_KEY"}

    result = _manage("check", env={**PRODUCTION_ENV, **env}, unset={"STORAGE_SECRET_ACCESS_KEY"})

    assert result.returncode != 0
    assert "STORAGE_SECRET_ACCESS_KEY must be set" in result.stderr
