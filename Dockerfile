# frontdesk as a service: built to JavaScript, run by plain node, as a non-root user, with the
# SQLite database on a volume. See README "Deploying".
#   docker build -t frontdesk .
#   docker run -p 3000:3000 -v frontdesk-data:/data --env-file .env frontdesk

# --- build: all dependencies, compile to dist/ -------------------------------------------
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# better-sqlite3 downloads a prebuilt binary for linux x64/arm64 (glibc); on other platforms add
# `RUN apt-get update && apt-get install -y python3 make g++` here so it can compile.
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY adapters ./adapters
COPY prompts ./prompts
RUN npm run build && npm prune --omit=dev

# --- runtime: production dependencies and dist/ only --------------------------------------
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    FRONTDESK_DB=/data/frontdesk.db \
    FRONTDESK_SHUTDOWN_TIMEOUT_MS=10000
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts the graceful stop (docker stop waits 10 s before SIGKILL; compose sets more).
STOPSIGNAL SIGTERM
CMD ["node", "dist/adapters/main.js"]
