// Money received into the gateway's accounts, as verified provider events reported it
// (ListReceivedTransactions).
#ifndef IDEMPOTENCY_RECEIVED_MONEY_STORE_H_
#define IDEMPOTENCY_RECEIVED_MONEY_STORE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/optional.h"
#include "proto/payments/v1/account_service.pb.h"

namespace idempotency {

class ReceivedMoneyStore {
 public:
  virtual ~ReceivedMoneyStore() = default;

  // Saving the same id again updates it.
  virtual absl::Status SaveReceived(const payments::v1::ReceivedTransaction& received) = 0;
  // In the order first saved, after `after_id` ("" from the start); provider 0 = any.
  virtual absl::StatusOr<std::vector<payments::v1::ReceivedTransaction>> ListReceived(
      payments::v1::Provider provider, const std::string& after_id, int limit) = 0;
  // The one saved with this gateway id (e.g. before refunding it), or nullopt.
  virtual absl::StatusOr<absl::optional<payments::v1::ReceivedTransaction>> GetReceived(
      const std::string& id) = 0;
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_RECEIVED_MONEY_STORE_H_
