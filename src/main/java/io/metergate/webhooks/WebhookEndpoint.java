package io.metergate.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A stored webhook endpoint. The secret signs deliveries and is shown only when it is created. */
record WebhookEndpoint(long id, String publicId, boolean livemode, String url, List<String> enabledEvents,
                       String description, Map<String, String> metadata, String secret, String status,
                       String apiVersion, Instant created) {}
