# One Dockerfile, two images; the command picks the process (python -m deploy.serve NAME).
#   docker build --target base -t gongzhi .       the gateway, meetings, matching, contracts
#   docker build --target full -t gongzhi-full .  volunteers (numpy, scipy), the migrations job, seed
# Both serve the web console built in a Node stage of its own (console/dist; Node is not in the images).
# Both run as the non-root user gongzhi, uid and gid 10001 (Kubernetes' runAsUser names the same),
# write only under /app/var and /tmp, and write no bytecode: the root filesystem may be read-only.

# The web console: its pinned packages (npm ci from the lock file), then Vite's build into dist.
FROM node:20-slim AS console
WORKDIR /console
COPY console/package.json console/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY console ./
RUN npm run build

FROM python:3.11-slim AS python
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN groupadd --gid 10001 gongzhi \
 && useradd --uid 10001 --gid 10001 --home-dir /app/var --no-create-home --shell /usr/sbin/nologin gongzhi \
 && mkdir var && chown 10001:10001 var

# Every process's dependencies (requirements.txt), without numpy and scipy.
FROM python AS base
COPY requirements.txt ./
RUN pip install --quiet -r requirements.txt
COPY shared shared
COPY services services
COPY gateway gateway
COPY deploy deploy
COPY --from=console /console/dist console/dist
USER 10001:10001
CMD ["python", "-m", "deploy.serve"]

# The whole runtime set (requirements-full.txt): numpy and scipy for the volunteers solver too.
FROM python AS full
COPY requirements.txt requirements-full.txt ./
RUN pip install --quiet -r requirements-full.txt
COPY shared shared
COPY services services
COPY gateway gateway
COPY deploy deploy
COPY --from=console /console/dist console/dist
USER 10001:10001
CMD ["python", "-m", "deploy.serve"]
