# SalesLens — hosted image. Config comes from the environment and mounted secrets:
#   docker build -t saleslens .
#   docker run -p 8501:8501 -e SALESLENS_AUTH=1 \
#     -v $PWD/.streamlit/secrets.toml:/app/.streamlit/secrets.toml:ro saleslens
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    STREAMLIT_SERVER_HEADLESS=true STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_SERVER_PORT=8501 STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    SALESLENS_STATE_DB=/data/auth.db

# the report's fonts (Cyrillic): Debian's DejaVu
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 saleslens && mkdir /data && chown saleslens:saleslens /data
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=saleslens:saleslens app.py ./
COPY --chown=saleslens:saleslens pages ./pages
COPY --chown=saleslens:saleslens ui ./ui
COPY --chown=saleslens:saleslens metrics ./metrics
COPY --chown=saleslens:saleslens report ./report
COPY --chown=saleslens:saleslens sample_data ./sample_data
COPY --chown=saleslens:saleslens .streamlit/config.toml ./.streamlit/config.toml

USER saleslens
# sessions, failed-log-in counters, audit log, pseudonym secret (ui/store.py): keep it, share it by replicas
VOLUME /data
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"
CMD ["python", "-m", "streamlit", "run", "app.py"]
