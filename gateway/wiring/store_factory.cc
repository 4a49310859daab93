#include "gateway/wiring/store_factory.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "idempotency/sqlite_store.h"

namespace gateway {

absl::StatusOr<OpenedStore> OpenStore(const std::string& url) {
  absl::string_view rest = url;
  if (absl::ConsumePrefix(&rest, "sqlite://")) {
    if (rest.empty()) return absl::InvalidArgumentError("store.url: sqlite:// needs a file path");
    auto store = idempotency::SqliteStore::Open(std::string(rest));
    if (!store.ok()) return store.status();
    // One connection: one thread. SQLite serializes writers anyway.
    return OpenedStore{*std::move(store), 1};
  }
  if (absl::StartsWith(url, "postgres://") || absl::StartsWith(url, "postgresql://")) {
    return absl::UnimplementedError("store.url: PostgreSQL is not built in yet");
  }
  return absl::InvalidArgumentError(
      "store.url must be sqlite://PATH or postgres://... (secrets in the URL come from the "
      "environment: GATEWAY_STORE__URL)");
}

}  // namespace gateway
