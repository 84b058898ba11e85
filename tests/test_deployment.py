"""The Dockerfile and docker-compose.yml agree with the project they deploy.

No Docker engine runs here: the files are read as data and checked against the settings,
the Celery app, the URL configuration and the WSGI entry point they name.
"""

import ast
import importlib
import json
import re
import shlex
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import dj_database_url
import pytest
import yaml
from celery.app.utils import find_app
from django.conf import settings
from django.http.request import validate_host
from django.urls import resolve
from gunicorn.config import Config as GunicornConfig

from kvinnofrid.celery import app as celery_app
from kvinnofrid.env import env_bool, env_list
from tests.kvinnofrid.test_storage import _describe_storage

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE_FILE = ROOT / "docker-compose.yml"
SETTINGS_FILE = ROOT / "kvinnofrid" / "settings.py"
ENV_READERS_FILE = ROOT / "kvinnofrid" / "env.py"

EXPECTED_SERVICES = {"db", "redis", "minio", "web", "proxy", "worker", "beat", "mailpit"}
# The only services that keep data, each on its named volume; every other container may be
# recreated, or run on another machine, without losing anything.
DATA_SERVICES = {"db": "postgres:", "redis": "redis:", "minio": "minio/minio"}
WEB_REPLICAS = 2
MINIO_PORT = 9000
# Inside a container, where Compose mounts a tmpfs: memory, not the container's disk.
CONTAINER_TMP = "/tmp"  # noqa: S108
CONTAINER_SHM = "/dev/shm"  # noqa: S108 (Docker's own tmpfs, writable under read_only)
DOCKERFILE_SERVICES = ("web", "worker", "beat")
# Without these the stack would quietly fall back to SQLite, the file-system broker, an
# insecure host list or a mail server on the container's own loopback.
REQUIRED_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
}
# Celery processes serve no HTTP: a health check for them is welcome, not required.
UNCHECKED_SERVICES = {"worker", "beat"}
POSTGRES_PORT = 5432
REDIS_PORT = 6379
MAILPIT_SMTP_PORT = 1025
MAILPIT_UI_PORT = 8025
# What `docker compose up` sees when only the required variable is exported.
HOST_ENVIRON = {"SECRET_KEY": "compose-test-secret"}


# --- Compose --------------------------------------------------------------------------------


class UnsetVariableError(Exception):
    pass


_REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z_]\w*)(?:(?P<op>:?[-?])(?P<arg>[^${}]*))?\}")


def interpolate(value: str, environ: dict[str, str]) -> str:
    """Expand `${...}` as Compose does, for the forms docker-compose.yml uses."""

    def expand(match: re.Match) -> str:
        current, op, arg = environ.get(match["name"]), match["op"], match["arg"]
        if current is not None and not (current == "" and op and op.startswith(":")):
            return current
        if op is None:
            return ""
        if op.endswith("?"):
            raise UnsetVariableError(arg)
        return arg

    # `$$` is a literal dollar; innermost references expand first, so defaults can nest.
    text, previous = value.replace("$$", "\0"), None
    while text != previous:
        previous, text = text, _REFERENCE.sub(expand, text)
    return text.replace("\0", "$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict[str, dict]:
    return compose["services"]


@pytest.fixture(scope="module")
def app_services(services) -> dict[str, dict]:
    return {name: service for name, service in services.items() if "build" in service}


def _environment(service: dict) -> dict[str, str]:
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.partition("=")[::2] for item in raw)
    return {name: str(value) for name, value in raw.items()}


def _interpolated_environment(service: dict, environ: dict[str, str]) -> dict[str, str]:
    return {name: interpolate(value, environ) for name, value in _environment(service).items()}


def _dockerfile_of(service: dict) -> Path | None:
    build = service.get("build")
    if build is None:
        return None
    if isinstance(build, str):
        build = {"context": build}
    return (ROOT / build.get("context", ".") / build.get("dockerfile", "Dockerfile")).resolve()


def _argv(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]


def _option(argv: list[str], *names: str) -> str:
    for index, arg in enumerate(argv):
        if arg in names:
            return argv[index + 1]
        for name in names:
            if arg.startswith(f"{name}="):
                return arg.partition("=")[2]
    raise AssertionError(f"None of {names} in {argv}")


def _healthcheck_argv(service: dict) -> list[str] | None:
    test = (service.get("healthcheck") or {}).get("test")
    if not test or test == ["NONE"]:
        return None
    if isinstance(test, str):
        return shlex.split(test)
    return shlex.split(test[1]) if test[0] == "CMD-SHELL" else test[1:]


def _has_healthcheck(service: dict) -> bool:
    healthcheck = service.get("healthcheck")
    if healthcheck is not None:
        return not healthcheck.get("disable") and _healthcheck_argv(service) is not None
    return _dockerfile_of(service) == DOCKERFILE and _image_healthcheck() is not None


def _depends_on(service: dict) -> dict:
    depends_on = service.get("depends_on") or {}
    return {target: {} for target in depends_on} if isinstance(depends_on, list) else depends_on


def _published_ports(service: dict) -> dict[int, int]:
    """Container port -> host port."""
    published = {}
    for port in service.get("ports", []):
        if isinstance(port, dict):
            published[int(port["target"])] = int(port["published"])
        else:
            *_, host, container = str(port).split(":")
            published[int(container)] = int(host)
    return published


def _read_environment(monkeypatch, reader, name: str, value: str):
    """Parse `value` the way settings.py parses the variable `name`."""
    monkeypatch.setenv(name, value)
    return reader(name)


def _variables_settings_read() -> set[str]:
    env_module = ast.parse(ENV_READERS_FILE.read_text())
    readers = {
        node.name
        for node in env_module.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }
    return {
        node.args[0].value
        for node in ast.walk(ast.parse(SETTINGS_FILE.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in readers
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def test_compose_defines_every_expected_service(services):
    assert sorted(EXPECTED_SERVICES - services.keys()) == []


def test_app_services_build_from_the_dockerfile(services):
    built_from = {name: _dockerfile_of(services[name]) for name in DOCKERFILE_SERVICES}

    assert built_from == dict.fromkeys(DOCKERFILE_SERVICES, DOCKERFILE)


def test_app_services_share_one_environment(app_services):
    environments = {name: _environment(service) for name, service in app_services.items()}

    assert environments == dict.fromkeys(app_services, environments["web"])


def test_celery_services_run_the_projects_celery_app(services):
    subcommands = {}
    for name in ("worker", "beat"):
        argv = _argv(services[name]["command"])
        assert argv[0] == "celery"
        target = _option(argv, "-A", "--app")
        subcommands[name] = (target, argv[argv.index(target) + 1])

    assert subcommands == {"worker": (celery_app.main, "worker"), "beat": (celery_app.main, "beat")}
    assert find_app(celery_app.main) is celery_app


def test_celery_healthchecks_name_the_projects_celery_app(app_services):
    targets = {
        name: _option(argv, "-A", "--app")
        for name, service in app_services.items()
        if (argv := _healthcheck_argv(service)) and argv[0] == "celery"
    }

    assert targets == dict.fromkeys(targets, celery_app.main)


def test_beat_keeps_its_schedule_in_redis_not_on_a_volume(services):
    beat = services["beat"]
    argv = _argv(beat["command"])

    assert "volumes" not in beat
    assert not {"--schedule", "-s", "--scheduler", "-S"} & set(argv)
    # The compose stack sets REDIS_URL, as the tests do: the settings then pick RedBeat.
    assert settings.REDIS_URL
    assert settings.CELERY_BEAT_SCHEDULER == "redbeat.RedBeatScheduler"


def test_app_environment_sets_only_variables_settings_read(app_services):
    read = _variables_settings_read()
    unread = {
        name: sorted(names)
        for name, service in app_services.items()
        if (names := _environment(service).keys() - read)
    }

    assert unread == {}


def test_app_environment_sets_every_required_variable(app_services):
    missing = {
        name: sorted(names)
        for name, service in app_services.items()
        if (names := REQUIRED_VARIABLES - _environment(service).keys())
    }

    assert sorted(REQUIRED_VARIABLES - _variables_settings_read()) == []
    assert missing == {}


def test_app_environment_passes_djangos_system_checks(services):
    environment = _interpolated_environment(services["web"], HOST_ENVIRON)

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("environ", [{}, {"POSTGRES_PASSWORD": "a-chosen-password"}])
def test_database_url_matches_db_service(services, environ):
    environ = {**HOST_ENVIRON, **environ}
    database = dj_database_url.parse(
        _interpolated_environment(services["web"], environ)["DATABASE_URL"]
    )
    postgres = _interpolated_environment(services["db"], environ)

    assert services["db"]["image"].startswith("postgres:")
    assert {
        key: database[key] for key in ("ENGINE", "HOST", "PORT", "NAME", "USER", "PASSWORD")
    } == {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "PORT": POSTGRES_PORT,
        "NAME": postgres["POSTGRES_DB"],
        "USER": postgres["POSTGRES_USER"],
        "PASSWORD": postgres["POSTGRES_PASSWORD"],
    }


def test_redis_url_points_at_redis_service(services):
    url = urlsplit(_interpolated_environment(services["web"], HOST_ENVIRON)["REDIS_URL"])

    assert (url.scheme, url.hostname, url.port or REDIS_PORT) == ("redis", "redis", REDIS_PORT)
    assert services[url.hostname]["image"].startswith("redis:")


def test_cache_sits_in_another_redis_database_than_the_broker(services):
    environment = _interpolated_environment(services["web"], HOST_ENVIRON)
    broker, cache = urlsplit(environment["REDIS_URL"]), urlsplit(environment["CACHE_URL"])

    assert (cache.scheme, cache.hostname, cache.port) == (broker.scheme, "redis", REDIS_PORT)
    assert cache.path != broker.path


def test_email_host_points_at_mail_service(services):
    environment = _interpolated_environment(services["web"], HOST_ENVIRON)

    assert environment["EMAIL_HOST"] == "mailpit"
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert environment["EMAIL_PORT"] == str(MAILPIT_SMTP_PORT)


@pytest.mark.parametrize("environ", [{}, {"SECRET_KEY": ""}])
def test_compose_secret_key_is_required(services, environ):
    with pytest.raises(UnsetVariableError, match="set SECRET_KEY"):
        _interpolated_environment(services["web"], environ)


def test_site_url_is_an_allowed_and_trusted_host(services, monkeypatch):
    environment = _interpolated_environment(services["web"], HOST_ENVIRON)
    site_url = environment["SITE_URL"]
    allowed = _read_environment(
        monkeypatch, env_list, "ALLOWED_HOSTS", environment["ALLOWED_HOSTS"]
    )
    chosen_site = "https://kvinnofridspriset.example.org"
    chosen = _interpolated_environment(services["web"], {**HOST_ENVIRON, "SITE_URL": chosen_site})

    assert validate_host(urlsplit(site_url).hostname, allowed) is True
    assert environment["CSRF_TRUSTED_ORIGINS"] == site_url
    assert chosen["CSRF_TRUSTED_ORIGINS"] == chosen_site


def test_site_url_scheme_matches_https_setting(services, monkeypatch):
    environment = _interpolated_environment(services["web"], HOST_ENVIRON)
    https = _read_environment(monkeypatch, env_bool, "HTTPS", environment["HTTPS"])

    assert https is False
    assert urlsplit(environment["SITE_URL"]).scheme == "http"
    assert _read_environment(monkeypatch, env_bool, "DEBUG", environment["DEBUG"]) is False


def test_published_ports_reach_gunicorn_through_the_proxy_and_mailpit(services):
    site_url = urlsplit(_interpolated_environment(services["web"], HOST_ENVIRON)["SITE_URL"])
    proxy = _argv(services["proxy"]["command"])

    # Two replicas cannot share one host port: the proxy publishes it and spreads the load.
    assert _published_ports(services["web"]) == {}
    assert _published_ports(services["proxy"]) == {int(_option(proxy, "--from")[1:]): site_url.port}
    assert _option(proxy, "--to") == f"web:{_gunicorn_port()}"
    assert MAILPIT_UI_PORT in _published_ports(services["mailpit"])


def test_web_runs_as_two_replicas(services):
    assert services["web"]["deploy"]["replicas"] == WEB_REPLICAS
    assert "container_name" not in services["web"]


def _volume_sources(service: dict) -> list[str]:
    return [
        volume.get("source") if isinstance(volume, dict) else volume.split(":")[0]
        for volume in service.get("volumes", [])
    ]


def test_only_the_data_services_keep_volumes(services):
    with_volumes = {name for name, service in services.items() if _volume_sources(service)}
    images = {name: services[name]["image"] for name in DATA_SERVICES}

    assert with_volumes == set(DATA_SERVICES)
    assert {name: image.startswith(DATA_SERVICES[name]) for name, image in images.items()} == (
        dict.fromkeys(DATA_SERVICES, True)
    )


def _one_shot_services(services) -> set[str]:
    return {
        target
        for service in services.values()
        for target, dependency in _depends_on(service).items()
        if dependency.get("condition") == "service_completed_successfully"
    }


def test_no_container_writes_to_its_own_disk(services, app_services):
    # A one-shot job that is not ours (the bucket's setup) writes its client's config only.
    others = set(services) - set(DATA_SERVICES) - (_one_shot_services(services) - {"migrate"})
    writable = sorted(name for name in others if services[name].get("read_only") is not True)
    without_tmp = sorted(
        name for name, service in app_services.items() if CONTAINER_TMP not in service["tmpfs"]
    )

    assert {"web", "worker"} <= others
    assert writable == []
    assert without_tmp == []


def test_every_app_service_keeps_files_in_the_shared_private_bucket(services, app_services):
    environments = {
        name: _interpolated_environment(service, HOST_ENVIRON)
        for name, service in app_services.items()
    }
    endpoint = {urlsplit(env["STORAGE_ENDPOINT_URL"]).netloc for env in environments.values()}
    buckets = {env["STORAGE_BUCKET"] for env in environments.values()}
    minio = _interpolated_environment(services["minio"], HOST_ENVIRON)
    credentials = {
        (env["STORAGE_ACCESS_KEY_ID"], env["STORAGE_SECRET_ACCESS_KEY"])
        for env in environments.values()
    }
    setup = interpolate(" ".join(_argv(services["minio-setup"]["entrypoint"])), HOST_ENVIRON)
    [bucket] = buckets

    assert endpoint == {f"minio:{MINIO_PORT}"}
    assert credentials == {(minio["MINIO_ROOT_USER"], minio["MINIO_ROOT_PASSWORD"])}
    # The bucket the app writes to is the one the setup makes, with no anonymous access.
    assert re.search(rf"mc mb --ignore-existing (\S+)/{bucket}(\s|$)", setup)
    assert re.search(rf"mc anonymous set none (\S+)/{bucket}(\s|$)", setup)
    assert _published_ports(services["minio"]) == {}
    for name in ("web", "worker"):
        assert _depends_on(services[name])["minio-setup"] == {
            "condition": "service_completed_successfully"
        }


def test_the_compose_environment_makes_django_store_files_in_minio(services):
    described = _describe_storage(_interpolated_environment(services["web"], HOST_ENVIRON))

    assert described["backends"] == ["storages.backends.s3.S3Storage"]
    assert described["fields_use_the_private_storage"] is True
    assert described["endpoint"] == f"http://minio:{MINIO_PORT}"
    assert described["default_acl"] is None


def test_long_running_services_have_healthchecks(services):
    one_shot = _one_shot_services(services)
    unchecked = sorted(
        name
        for name, service in services.items()
        if name not in UNCHECKED_SERVICES | one_shot and not _has_healthcheck(service)
    )

    assert unchecked == []


def test_app_services_with_own_command_replace_the_image_healthcheck(app_services):
    # The image's health check asks gunicorn on port 8000; a worker would never pass it.
    inheriting = sorted(
        name
        for name, service in app_services.items()
        if "command" in service and "healthcheck" not in service
    )

    assert inheriting == []


def test_depends_on_waits_for_conditions_the_targets_can_meet(services):
    problems = []
    for name, service in services.items():
        for target, dependency in _depends_on(service).items():
            condition = dependency.get("condition")
            if target not in services:
                problems.append(f"{name} depends on unknown service {target}")
            elif condition == "service_healthy":
                if not _has_healthcheck(services[target]):
                    problems.append(f"{name} waits for {target} to be healthy; it has no check")
            elif condition == "service_completed_successfully":
                if services[target].get("restart", "no") not in {"no", "on-failure"}:
                    problems.append(f"{name} waits for {target} to finish; it restarts forever")
            else:
                problems.append(f"{name} starts {target} without waiting for it ({condition})")

    assert problems == []


def test_named_volumes_are_declared_and_used(compose, services):
    declared = set(compose.get("volumes") or {})
    referenced = {
        source
        for service in services.values()
        for source in _volume_sources(service)
        if source and not source.startswith((".", "/", "~"))
    }

    assert sorted(referenced - declared) == []
    assert sorted(declared - referenced) == []


# --- Dockerfile -----------------------------------------------------------------------------


@dataclass
class Stage:
    name: str
    parent: str  # an image, or the name of an earlier stage
    instructions: list[tuple[str, str]]


def _stages() -> list[Stage]:
    text = "\n".join(
        line for line in DOCKERFILE.read_text().splitlines() if not line.lstrip().startswith("#")
    )
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in re.sub(r"\\[ \t]*\n", " ", text).splitlines():
        if not line.strip():
            continue
        keyword, _, rest = line.strip().partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "FROM":
            words = [word for word in rest.split() if not word.startswith("--")]
            image = re.sub(r"\$\{?(\w+)\}?", lambda m: global_args[m[1]], words[0])
            name = words[2].lower() if len(words) == 3 else str(len(stages))
            stages.append(Stage(name, image, []))
        elif not stages and keyword == "ARG":
            name, _, default = rest.partition("=")
            global_args[name] = default
        else:
            stages[-1].instructions.append((keyword, rest))
    return stages


def _lineage(stage: Stage) -> list[Stage]:
    by_name = {earlier.name: earlier for earlier in _stages()}
    parent = by_name.get(stage.parent)
    return [*_lineage(parent), stage] if parent else [stage]


def _inherited(stage: Stage, keyword: str) -> list[str]:
    return [rest for s in _lineage(stage) for kw, rest in s.instructions if kw == keyword]


def _env(stage: Stage) -> dict[str, str]:
    return dict(
        word.partition("=")[::2] for rest in _inherited(stage, "ENV") for word in shlex.split(rest)
    )


def _final_stage() -> Stage:
    return _stages()[-1]


def _stage_running(command: str) -> tuple[Stage, str]:
    for stage in _stages():
        for keyword, rest in stage.instructions:
            if keyword == "RUN" and command in rest:
                return stage, rest
    raise AssertionError(f"No RUN instruction runs `{command}`")


def _copied_into_final_stage(source_stage: Stage, path: PurePosixPath) -> bool:
    for rest in _inherited(_final_stage(), "COPY"):
        words = rest.split()
        if f"--from={source_stage.name}" in words:
            sources = [PurePosixPath(w) for w in words[:-1] if not w.startswith("--")]
            if any(path.is_relative_to(source) for source in sources):
                return True
    return False


def _image_user() -> str:
    return _inherited(_final_stage(), "USER")[-1].split(":")[0]


def _image_runs() -> str:
    return "\n".join(_inherited(_final_stage(), "RUN"))


def _image_healthcheck() -> list[str] | None:
    healthchecks = _inherited(_final_stage(), "HEALTHCHECK")
    if not healthchecks or healthchecks[-1] == "NONE":
        return None
    return json.loads(healthchecks[-1].partition("CMD")[2])


def _gunicorn_arguments():
    command = json.loads(_inherited(_final_stage(), "CMD")[-1])
    assert command[0] == "gunicorn"
    return GunicornConfig().parser().parse_args(command[1:])


def _gunicorn_port() -> int:
    [bind] = _gunicorn_arguments().bind
    return int(bind.rpartition(":")[2])


def _run_image_healthcheck(monkeypatch, allowed_hosts: str) -> urllib.request.Request:
    """Run the image's health check with ALLOWED_HOSTS set; return the request it makes."""
    command = _image_healthcheck()
    assert command[:2] == ["python", "-c"]
    requests = []
    monkeypatch.setenv("ALLOWED_HOSTS", allowed_hosts)
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, **_: requests.append(request))
    exec(command[2], {})  # noqa: S102 (the image's own check, against a stand-in urlopen)
    [request] = requests
    return request


def test_dockerfile_stages_build_on_the_projects_python():
    version = (ROOT / ".python-version").read_text().strip()
    bases = {stage.parent for stage in _stages() if stage.parent not in {s.name for s in _stages()}}

    assert bases == {f"python:{version}-slim"}


def test_dockerfile_final_stage_runs_as_non_root_user():
    user = _image_user()

    assert user not in {"root", "0"}
    assert re.search(rf"useradd\b[^&;]*\s{re.escape(user)}(\s|$)", _image_runs())


def test_dockerfile_collects_static_files_where_the_image_serves_them():
    stage, _ = _stage_running("manage.py collectstatic --noinput")
    static_root = _env(stage)["STATIC_ROOT"]

    assert _env(_final_stage())["STATIC_ROOT"] == static_root
    assert _copied_into_final_stage(stage, PurePosixPath(static_root))


def test_dockerfile_collectstatic_runs_with_production_settings_and_a_build_only_key():
    stage, command = _stage_running("manage.py collectstatic --noinput")

    # Without DEBUG, the manifest storage fails the build on a missing static file.
    assert "DEBUG" not in _env(stage)
    assert "DEBUG" not in command
    assert "SECRET_KEY=" in command
    assert "SECRET_KEY" not in _env(_final_stage())


def test_dockerfile_compiles_catalogues_with_gettext_into_the_image():
    stage, _ = _stage_running("manage.py compilemessages")
    workdir = PurePosixPath(_inherited(stage, "WORKDIR")[-1])
    catalogues = [workdir / Path(path).relative_to(ROOT) for path in settings.LOCALE_PATHS]
    runs = _inherited(stage, "RUN")
    uncopied = [str(path) for path in catalogues if not _copied_into_final_stage(stage, path)]

    assert any(re.search(r"apt-get install\b.*\bgettext\b", run) for run in runs)
    assert uncopied == []


def test_dockerfile_healthcheck_asks_healthz_on_gunicorns_port(monkeypatch):
    url = urlsplit(_run_image_healthcheck(monkeypatch, "localhost").full_url)
    path = url.path.lstrip("/")

    assert (url.hostname, url.port, url.path) == ("127.0.0.1", _gunicorn_port(), "/healthz")
    assert resolve(url.path).url_name == "healthz"
    # Over plain HTTP inside the container, a redirect to HTTPS would read as unhealthy.
    assert any(re.search(pattern, path) for pattern in settings.SECURE_REDIRECT_EXEMPT)


def test_dockerfile_healthcheck_sends_a_host_django_allows(services, monkeypatch):
    compose_hosts = _interpolated_environment(services["web"], HOST_ENVIRON)["ALLOWED_HOSTS"]
    rejected = []
    for allowed_hosts in (compose_hosts, "kvinnofridspriset.example.org", ".example.org", "*"):
        host = _run_image_healthcheck(monkeypatch, allowed_hosts).get_header("Host")
        if not validate_host(host, env_list("ALLOWED_HOSTS")):
            rejected.append((allowed_hosts, host))

    assert rejected == []


def test_dockerfile_exposes_the_port_gunicorn_binds():
    exposed = {
        int(port.split("/")[0])
        for rest in _inherited(_final_stage(), "EXPOSE")
        for port in rest.split()
    }

    assert _gunicorn_arguments().bind == [f"0.0.0.0:{_gunicorn_port()}"]
    assert exposed == {_gunicorn_port()}


def test_dockerfile_gunicorn_writes_only_to_memory():
    # Compose runs the image with a read-only root file system (see the compose tests).
    arguments = _gunicorn_arguments()

    assert PurePosixPath(arguments.worker_tmp_dir) == PurePosixPath(CONTAINER_SHM)
    assert arguments.control_socket_disable is True
    assert arguments.pidfile is None
    assert arguments.errorlog in {None, "-"}
    assert arguments.accesslog in {None, "-"}


def test_dockerfile_gunicorn_target_is_the_projects_wsgi_application():
    [target] = _gunicorn_arguments().args
    module_name, _, attribute = target.partition(":")

    application = getattr(importlib.import_module(module_name), attribute)

    assert f"{module_name}.{attribute}" == settings.WSGI_APPLICATION
    assert callable(application)
