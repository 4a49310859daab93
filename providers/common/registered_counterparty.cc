#include "providers/common/registered_counterparty.h"

#include <utility>

#include "vocabulary/resource_id.h"

namespace providers {

std::string LastFour(absl::string_view number) {
  return std::string(number.size() > 4 ? number.substr(number.size() - 4) : number);
}

payments::v1::RegisteredCounterparty Registered(payments::v1::Provider provider,
                                                absl::string_view native_id,
                                                payments::v1::Counterparty counterparty,
                                                absl::string_view alias) {
  payments::v1::RegisteredCounterparty registered;
  registered.set_id(gateway::ResourceId{provider, std::string(gateway::kind::kCounterparty),
                                        std::string(native_id)}
                        .ToString());
  registered.set_provider(provider);
  if (counterparty.has_clabe()) counterparty.set_clabe(LastFour(counterparty.clabe()));
  if (counterparty.has_debit_card()) {
    counterparty.set_debit_card(LastFour(counterparty.debit_card()));
  }
  *registered.mutable_counterparty() = std::move(counterparty);
  registered.set_alias(std::string(alias));
  return registered;
}

}  // namespace providers
