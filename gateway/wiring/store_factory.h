// Opens the store that store.url names:
//   sqlite://var/gateway.db, sqlite:///abs/path.db   the embedded default (one replica)
//   postgres://user@host:port/db?pool_size=4&schema=payouts
//                                                     several replicas share it; pool_size
//                                                     connections (and store threads), tables
//                                                     in `schema` (created if missing)
#ifndef GATEWAY_WIRING_STORE_FACTORY_H_
#define GATEWAY_WIRING_STORE_FACTORY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "idempotency/gateway_store.h"

namespace gateway {

struct OpenedStore {
  std::unique_ptr<idempotency::GatewayStore> store;
  int threads = 1;  // how many executor threads it can use at once
};

absl::StatusOr<OpenedStore> OpenStore(const std::string& url);

}  // namespace gateway

#endif  // GATEWAY_WIRING_STORE_FACTORY_H_
