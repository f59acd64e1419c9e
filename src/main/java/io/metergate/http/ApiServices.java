package io.metergate.http;

import io.metergate.accounts.KeyAuthenticator;
import io.metergate.idempotency.IdempotencyStore;
import io.metergate.ingest.AccountRateLimiter;
import io.metergate.ingest.EventWriter;
import io.metergate.ingest.WriterStats;
import io.metergate.meters.ActiveMeterCache;
import io.metergate.meters.MeterStore;
import io.metergate.session.SessionTokens;
import io.micrometer.core.instrument.Counter;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/** What every API verticle instance shares (all thread-safe). */
public record ApiServices(
    String host,
    int port,
    int bodyLimitBytes,
    int shutdownGraceSeconds,
    boolean accessLog,
    Pool pool,
    KeyAuthenticator keys,
    SessionTokens tokens,
    ActiveMeterCache meterCache,
    MeterStore meterStore,
    IdempotencyStore idempotency,
    EventWriter.Options writerOptions,
    WriterStats writerStats,
    AccountRateLimiter rateLimiter,
    Counter sessionsIssued,
    Clock clock) {}
