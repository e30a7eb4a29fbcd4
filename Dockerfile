# syntax=docker/dockerfile:1
# onsale's image: built with dev dependencies, run on Node 24 slim with production dependencies only.
# tests/integration/ops/image-steps.spec.ts performs the same steps without Docker (npm pack, then
# npm ci --omit=dev from the packed app and the lockfile, start, /health/ready), so the image cannot
# miss a file. Targets: `run` (the server, default) and `nginx` (ops/nginx with the web build).
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
# no dependency needs its install script (docs/toolchain.md: allowScripts denies all three)
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# the release is what `npm pack` takes (package.json "files": dist/src, web/dist) and nothing else
RUN npm run build \
 && mkdir /release \
 && npm pack --ignore-scripts --pack-destination /release \
 && mv /release/onsale-*.tgz /release/onsale.tgz

FROM ${NODE_IMAGE} AS run
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/var/lib/onsale
WORKDIR /app
COPY --from=build /release/onsale.tgz /tmp/onsale.tgz
COPY package-lock.json .npmrc ./
RUN tar -xzf /tmp/onsale.tgz --strip-components=1 -C /app \
 && rm /tmp/onsale.tgz \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && mkdir -p /var/lib/onsale \
 && chown node:node /var/lib/onsale
# the image's own unprivileged user (uid 1000); the app's files stay root's, read-only to it
USER node
EXPOSE 3000
VOLUME ["/var/lib/onsale"]
# no curl in the slim image: Node's fetch asks /health/ready (database and Redis answer)
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec form: node is PID 1 and gets SIGTERM itself; it stops accepting, finishes requests and exits 0
# (compose runs it with `init: true` so that a stray child is reaped)
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]

FROM nginx:1.27 AS nginx
COPY ops/nginx /etc/onsale-nginx
COPY --from=build /src/web/dist /usr/share/onsale/web
ENV NGINX_LISTEN=0.0.0.0:80 \
    ONSALE_UPSTREAM=onsale:3000 \
    WEB_ROOT=/usr/share/onsale/web \
    NGINX_PREFIX=/var/cache/onsale-nginx
EXPOSE 80
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/80"]
CMD ["bash", "/etc/onsale-nginx/run.sh", "foreground"]
