# Image for docker-compose.yml. The access log format above leaves out the
# client address: anonymous reporting depends on no address being logged.
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --create-home innovo && mkdir -p /srv/innovo/var && chown innovo /srv/innovo/var
USER innovo
EXPOSE 8000
