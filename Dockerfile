# One Dockerfile, two images; the command picks the process (python -m deploy.serve NAME).
#   docker build --target base -t gongzhi .       the gateway, meetings, matching, contracts
#   docker build --target full -t gongzhi-full .  volunteers (numpy, scipy), the migrations job, seed
# Both run as the non-root user gongzhi, uid and gid 10001 (Kubernetes' runAsUser names the same),
# write only under /app/var and /tmp, and write no bytecode: the root filesystem may be read-only.
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
USER 10001:10001
CMD ["python", "-m", "deploy.serve"]
