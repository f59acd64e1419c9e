package io.metergate.adjustments;

import io.metergate.common.ApiError;
import io.metergate.common.Params;
import java.util.List;
import java.util.Set;

/** type=cancel of one event, named by event_name and cancel[identifier] (v1) or cancel.identifier (v2). */
public record CancelRequest(String eventName, String identifier, String identifierParam, String eventNameParam) {
  private static final Set<String> V1 = Set.of("event_name", "type", "cancel", "expand");
  private static final Set<String> V2 = Set.of("event_name", "type", "cancel");

  public static CancelRequest from(Params p) {
    p.allowOnly(p.style() == Params.Style.FORM ? V1 : V2);
    String eventName = p.requiredString("event_name", 100);
    p.requiredEnum("type", List.of("cancel"));
    Params cancel;
    try {
      cancel = p.optionalObject("cancel");
    } catch (ApiError e) {
      throw ApiError.invalid("invalid_cancel_configuration",
          "cancel must be an object holding the identifier of the event to cancel.", p.path("cancel"));
    }
    if (cancel == null) {
      throw ApiError.missing(p.path("cancel") + (p.style() == Params.Style.FORM ? "[identifier]" : ".identifier"));
    }
    cancel.allowOnly(Set.of("identifier"));
    String identifier = cancel.requiredString("identifier", 100);
    return new CancelRequest(eventName, identifier, cancel.path("identifier"), p.path("event_name"));
  }
}
