ARG PYTHON_IMAGE=python:3.13-slim

FROM ${PYTHON_IMAGE} AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    STATIC_ROOT=/app/staticfiles
WORKDIR /app


FROM base AS build

# msgfmt, for compilemessages; the final image needs only the compiled catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# Dependencies change less often than the code, so they get a layer of their own. With
# setuptools' `packages = []`, installing the project installs its pinned dependencies only.
COPY pyproject.toml constraints.txt /tmp/project/
RUN python -m venv /opt/venv \
    && pip install --no-cache-dir -c /tmp/project/constraints.txt /tmp/project

COPY . .
# Loading the settings needs a SECRET_KEY; this one exists only while these commands run and
# stays out of the image's environment.
RUN SECRET_KEY=build-only-not-a-secret python manage.py compilemessages --ignore .venv --ignore var \
    && SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput


FROM base AS runtime

RUN groupadd --system --gid 10001 kvinnofrid \
    && useradd --system --uid 10001 --gid kvinnofrid --no-create-home --shell /usr/sbin/nologin kvinnofrid

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
# The code stays root-owned and read-only to the app. Only var/ is the app's, for a single
# container run without object storage or Redis (media, beat's schedule); under Compose the
# root file system is read-only and nothing is written there (docker-compose.yml).
RUN mkdir -p /app/var && chown kvinnofrid:kvinnofrid /app/var

USER kvinnofrid
EXPOSE 8000

# Django answers 400 to a Host header it does not allow, and 127.0.0.1 may not be allowed:
# ask with the first allowed host instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h if h not in ('', '*') else 'localhost'}), timeout=4)"]

# /dev/shm keeps the workers' heartbeat files off the container's overlay file system; the
# control socket (gunicornc, unused here) would go in the home directory the user lacks.
CMD ["gunicorn", "kvinnofrid.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--worker-tmp-dir", "/dev/shm", "--no-control-socket", "--access-logfile", "-"]
