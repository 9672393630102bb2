# The customer portal's production image (docs/deploy.md): built JavaScript and runtime
# dependencies only (no TypeScript, no tsx, no dev dependencies), running as the unprivileged
# `node` user. Not built on the machine this was written on (no container runtime there); the
# bundle it copies is the one test/bundle.test.ts builds and runs (pnpm bundle).
#
#   docker build -t customer-portal .
#   docker run -e DATABASE_URL=postgres://… -e PORTAL_SECRET=… -p 3000:3000 customer-portal

# --- build: install everything, compile, make the production bundle -----------------------
FROM node:20-bookworm-slim AS build
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0
RUN corepack enable
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm build \
 && pnpm bundle /bundle

# --- run: the bundle only -------------------------------------------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    PORTAL_DATA_DIR=/data
WORKDIR /app
# Owned by root, so the process cannot change its own code; only /data is writable (embedded store).
COPY --from=build /bundle /app
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# SIGTERM: /readyz 503, requests in flight finish (PORTAL_SHUTDOWN_GRACE_SECONDS, default 10), exit 0.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "apps/server/bin/portal.js"]
CMD ["start"]
