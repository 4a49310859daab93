#include "gateway/wiring/store_factory.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "idempotency/postgres_store.h"
#include "idempotency/sqlite_store.h"
#include "vocabulary/status_macros.h"

namespace gateway {
namespace {

constexpr int kDefaultPoolSize = 4;
constexpr int kMaxPoolSize = 64;

// Takes the gateway's own `pool_size=N` and `schema=NAME` out of a PostgreSQL URL's query:
// libpq refuses parameters it does not know. Errors never quote the URL, which may hold a
// password.
absl::Status TakeGatewayParameters(std::string* url, int* pool_size, std::string* schema) {
  *pool_size = kDefaultPoolSize;
  const size_t query_start = url->find('?');
  if (query_start == std::string::npos) return absl::OkStatus();
  std::vector<absl::string_view> kept;
  const std::string query = url->substr(query_start + 1);
  for (absl::string_view parameter : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    absl::string_view value = parameter;
    if (absl::ConsumePrefix(&value, "schema=")) {
      *schema = std::string(value);  // checked by PostgresStore::Open (a plain identifier)
    } else if (!absl::ConsumePrefix(&value, "pool_size=")) {
      kept.push_back(parameter);
    } else if (!absl::SimpleAtoi(value, pool_size) || *pool_size < 1 || *pool_size > kMaxPoolSize) {
      return absl::InvalidArgumentError(
          absl::StrCat("store.url: pool_size must be a whole number from 1 to ", kMaxPoolSize));
    }
  }
  url->resize(query_start);
  if (!kept.empty()) absl::StrAppend(url, "?", absl::StrJoin(kept, "&"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<OpenedStore> OpenStore(const std::string& url) {
  absl::string_view rest = url;
  if (absl::ConsumePrefix(&rest, "sqlite://")) {
    if (rest.empty()) return absl::InvalidArgumentError("store.url: sqlite:// needs a file path");
    ASSIGN_OR_RETURN(auto store, idempotency::SqliteStore::Open(std::string(rest)));
    // One connection: one thread. SQLite serializes writers anyway.
    return OpenedStore{std::move(store), 1};
  }
  if (absl::StartsWith(url, "postgres://") || absl::StartsWith(url, "postgresql://")) {
    std::string libpq_url = url;
    int pool_size = 0;
    std::string schema;
    RETURN_IF_ERROR(TakeGatewayParameters(&libpq_url, &pool_size, &schema));
    auto store = idempotency::PostgresStore::Open(libpq_url, pool_size, schema);
    if (!store.ok()) {
      return absl::Status(store.status().code(),
                          absl::StrCat("store.url: ", store.status().message()));
    }
    // One executor thread per connection: every store call has a session of its own.
    return OpenedStore{*std::move(store), pool_size};
  }
  return absl::InvalidArgumentError(
      "store.url must be sqlite://PATH or postgres://... (secrets in the URL come from the "
      "environment: GATEWAY_STORE__URL)");
}

}  // namespace gateway
