# Talap API image. Not built in this project's CI (no Docker engine there); kept simple so it
# can be checked by reading. Fonts ship inside the package, so no system font packages are needed.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    TALAP_DATA_DIR=/data \
    TALAP_PUBLIC_URL=http://localhost:8000

WORKDIR /app
# templates/ and legal/ are built into the package (service/template_files, service/legal).
COPY pyproject.toml README.md ./
COPY service ./service
COPY templates ./templates
COPY legal ./legal
RUN pip install . \
    && rm -rf /app/service /app/templates /app/legal \
    && useradd --system --uid 10001 --home-dir /data --create-home talap \
    && chown -R talap /data

USER talap
VOLUME ["/data"]
EXPOSE 8000

# Production: mount a PKCS#12 key and set TALAP_ENVIRONMENT=production, TALAP_SIGNING_KEY,
# TALAP_SIGNING_KEY_PASSPHRASE and TALAP_DATABASE_URL (PostgreSQL). Without a key the service
# signs with a generated development key, and production mode refuses to start.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"

# `talap serve` migrates the database once, then starts its workers (which never migrate);
# `talap migrate` does only the first part, for a deployment step of its own.
CMD ["talap", "serve", "--host", "0.0.0.0", "--port", "8000"]
