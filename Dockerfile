# newsroom container image, built in two stages.
#
#   docker build -t newsroom .
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://user:password@db:5432/newsroom newsroom
#
# The image expects DATABASE_URL. It does not ship the PostgreSQL server binaries, so the
# embedded default (a private cluster started when DATABASE_URL is unset) is not available
# here: without DATABASE_URL, `newsroom serve` exits with a message saying so.
#
# The cache mounts below need BuildKit (the default builder since Docker 23).

# --- build -----------------------------------------------------------------------------------
FROM rust:1-bookworm AS builder
WORKDIR /src

# No database is needed at build time: the project uses no sqlx query macros (its queries are
# checked by the integration tests), and `sqlx::migrate!` only embeds the files in
# migrations/. The Swagger UI assets come from the `vendored` feature, so nothing is
# downloaded besides the crates in Cargo.lock. Everything the build reads is copied:
# templates/ (embedded with include_str!), build.rs, and tests/ (Cargo.toml names the test
# target). CI builds the crate from exactly these paths (scripts/docker-context-build): a
# folder added to the build but not here fails CI.
# The commit for the newsroom_build_info metric (build.rs): the context has no .git.
ARG NEWSROOM_GIT_COMMIT=unknown
ENV NEWSROOM_GIT_COMMIT=$NEWSROOM_GIT_COMMIT
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY migrations ./migrations
COPY templates ./templates
COPY assets ./assets
COPY tests ./tests
# The media-photo example (Cargo.toml names its file), which makes bench/run-media's photos.
COPY bench/media_photo.rs ./bench/media_photo.rs

RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
    && cp target/release/newsroom /usr/local/bin/newsroom

# --- run -------------------------------------------------------------------------------------
FROM debian:bookworm-slim

# ca-certificates for outgoing TLS; curl for the HEALTHCHECK.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --home-dir /var/lib/newsroom --shell /usr/sbin/nologin newsroom \
    && install -d -o newsroom -g newsroom -m 0750 /var/lib/newsroom

COPY --from=builder /usr/local/bin/newsroom /usr/local/bin/newsroom

WORKDIR /var/lib/newsroom

# Listen on every interface of the container; log JSON lines for log shippers. If you change
# the port in NEWSROOM_ADDR, change the HEALTHCHECK too. Metrics on a port of their own:
# publish it to Prometheus only.
ENV NEWSROOM_ADDR=0.0.0.0:8080 \
    NEWSROOM_DATA_DIR=/var/lib/newsroom \
    NEWSROOM_LOG=json \
    NEWSROOM_METRICS_ADDR=0.0.0.0:9464

EXPOSE 8080 9464

# Ready means the database answers `select 1` within 2 s (503 otherwise).
HEALTHCHECK CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1

USER newsroom
ENTRYPOINT ["newsroom"]
CMD ["serve"]
