# One image for every service of the platform; the command picks the service.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY shared shared
COPY services services
COPY gateway gateway
COPY deploy deploy
RUN useradd --create-home gongzhi && mkdir -p var && chown gongzhi var
USER gongzhi
CMD ["python", "-m", "deploy.serve"]
