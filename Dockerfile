# syntax=docker/dockerfile:1
# Two stages: Maven builds the fat jar, a JRE-only image runs it as a non-root user.
#   docker build -t metergate:dev .
#   docker run --rm -p 8080:8080 -p 9090:9090 \
#     -e METERGATE_DATABASE_URL=postgresql://postgres:secret@host.docker.internal:5432/metergate metergate:dev
# The image keeps the gateway's defaults (so the dev key sk_test_metergate_dev is bootstrapped on an empty
# database); k8s/base turns that off. Always set METERGATE_DATABASE_URL: the embedded PostgreSQL fallback
# cannot run here (the working directory is not writable) and the gateway stops with a message saying so.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies change less often than sources: resolve them in their own layer.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 metergate \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin metergate
WORKDIR /app
# Owned by root and read-only for the gateway's user.
COPY --from=build /build/target/metergate.jar /app/metergate.jar
USER 10001:10001
# 8080: the Stripe-compatible API; 9090: /health/live, /health/ready and /metrics.
EXPOSE 8080 9090
# Exec form: the JVM is PID 1 and receives SIGTERM itself, which starts the graceful drain.
# G1 is named because under a 1 GiB memory limit the JVM would otherwise pick the serial collector.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseG1GC", "-jar", "/app/metergate.jar"]
