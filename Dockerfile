# The same build the README documents (`cargo build --release`, with the Rust toolchain, a C
# compiler, make and perl: SQLite, libpq and OpenSSL are compiled from source), in two stages.
FROM rust:1-slim-bookworm AS build
# The slim image has the toolchain and gcc, but not make or the full perl OpenSSL's build needs.
RUN apt-get update && apt-get install -y --no-install-recommends make perl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependency layer: build once with an empty main so it is cached until Cargo.toml/Cargo.lock change.
COPY Cargo.toml Cargo.lock build.rs ./
# The manifest names the benchmarks; cargo wants their files even when it does not build them.
COPY benches benches
RUN mkdir src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && mkdir migrations \
    && cargo build --release --locked \
    && rm -rf src
COPY src src
COPY migrations migrations
COPY reference reference
RUN touch src/main.rs src/lib.rs && cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /app connect2030
WORKDIR /app
COPY --from=build /src/target/release/connect2030 /usr/local/bin/connect2030
RUN mkdir -p /app/data && chown connect2030 /app/data
USER connect2030
VOLUME /app/data
# SSL_CERT_DIR: the bundled OpenSSL finds the system's CA roots (`sslrootcert=system`) there.
ENV DATABASE_URL=sqlite:///app/data/connect2030.db \
    SSL_CERT_DIR=/etc/ssl/certs \
    BIND_ADDR=0.0.0.0:8080 \
    LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
    CMD curl -fsS http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["connect2030"]
CMD ["serve", "--load-public-data"]
