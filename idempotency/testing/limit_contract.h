// The spending-limit part of the store contract (idempotency/spending_limits.h): the check and
// the reservation made atomically with the claim, the window, the scopes, giving back, the
// sweep. A store's test instantiates it like StoreContractTest:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, LimitContractTest, testing::Values(StoreFactory{...}));
#ifndef IDEMPOTENCY_TESTING_LIMIT_CONTRACT_H_
#define IDEMPOTENCY_TESTING_LIMIT_CONTRACT_H_

#include "idempotency/testing/store_contract.h"

namespace idempotency {

class LimitContractTest : public StoreContractTest {};

}  // namespace idempotency

#endif  // IDEMPOTENCY_TESTING_LIMIT_CONTRACT_H_
