package io.metergate.catalog;

import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.ParamRules;
import io.metergate.common.Params;
import java.util.List;
import java.util.Set;

/**
 * A validated POST /v1/prices/:id request. Null fields stay as they are; nickname and lookup_key
 * apply only when given ({@code nickname=} and {@code lookup_key=} clear them).
 */
record PriceChange(Boolean active, boolean renames, String nickname, boolean rekeys, String lookupKey,
                   boolean transferLookupKey, Metadata metadata) {
  private static final List<String> UNSUPPORTED = List.of("currency_options", "tax_behavior");
  private static final Set<String> UPDATE = Set.of("active", "nickname", "lookup_key", "transfer_lookup_key",
      "metadata", "expand");

  static PriceChange from(Params p, Set<String> expandable) {
    ParamRules.refuseUnsupported(p, UNSUPPORTED);
    p.allowOnly(UPDATE);
    ListRequest.checkExpand(p, expandable);
    return new PriceChange(ParamRules.optionalBoolean(p, "active"),
        p.has("nickname"), p.clearableString("nickname", PriceDraft.MAX_NICKNAME_LENGTH),
        p.has("lookup_key"), p.clearableString("lookup_key", PriceDraft.MAX_LOOKUP_KEY_LENGTH),
        Boolean.TRUE.equals(ParamRules.optionalBoolean(p, "transfer_lookup_key")), Metadata.parse(p));
  }

}
