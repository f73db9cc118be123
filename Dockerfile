# Waymark under gunicorn; static files served by whitenoise from the image.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/vendor-assets.sh scripts/
RUN npm ci --no-audit --no-fund && bash scripts/vendor-assets.sh

FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/venv PATH="/venv/bin:$PATH"
# WeasyPrint needs Pango; Liberation fonts stand in for Frutiger, which we may not ship.
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN pip install --no-cache-dir uv==0.13.8 && uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=assets /app/static/vendor static/vendor
RUN SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-xx ALLOWED_HOSTS=build \
    python manage.py collectstatic --no-input --settings=config.settings.prod
RUN useradd --system --uid 1000 waymark && mkdir -p media && chown -R waymark /app
USER waymark
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
