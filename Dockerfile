# OTP Access: one image, the single-process server of `pnpm start` (Next.js pages + the API).
# Build:  docker build -t otp-access .
# Run:    docker run -p 3000:3000 -e DATABASE_URL=... -e SESSION_SECRET=... -e OTP_SECRETS_KEYS=... otp-access

FROM node:20-bookworm-slim AS build
# argon2 compiles a native addon.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@10.34.8
WORKDIR /app
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
# The Next.js build, and the server with the workspace packages compiled to JavaScript (dist/).
RUN pnpm install --frozen-lockfile && pnpm turbo run build --filter=@otp-access/web...

FROM node:20-bookworm-slim
RUN npm install -g pnpm@10.34.8
WORKDIR /app
COPY --from=build --chown=node:node /app /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOST=0.0.0.0
EXPOSE 3000
USER node
# Migrates (demo data only with SEED_DEMO=true), then serves. The server is
# PID 1 itself (apps/web's `serve` script, without pnpm and a shell in between), so `docker stop`'s
# SIGTERM reaches it and in-flight requests finish before it exits. It is the compiled server: plain
# JavaScript, no TypeScript loader at start.
WORKDIR /app/apps/web
CMD ["node", "--max-old-space-size=192", "dist/server/main.js"]
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
