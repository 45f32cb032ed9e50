# chiptrail command line (and, with it, the loader) for docker compose.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY api ./api
COPY graph ./graph
COPY loaders ./loaders
COPY ontology ./ontology
COPY queries ./queries
COPY data ./data
RUN pip install --no-cache-dir .
ENV CHIPTRAIL_DATA=/app/data
USER nobody
ENTRYPOINT ["chiptrail"]
