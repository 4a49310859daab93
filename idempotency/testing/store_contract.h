// The contract every GatewayStore must keep, as a parameterized GoogleTest suite. An
// implementation's test instantiates it with a factory:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest, testing::Values(StoreFactory{...}));
#ifndef IDEMPOTENCY_TESTING_STORE_CONTRACT_H_
#define IDEMPOTENCY_TESTING_STORE_CONTRACT_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "gtest/gtest.h"
#include "idempotency/gateway_store.h"

namespace idempotency {

struct StoreFactory {
  std::string name;
  // A store with no records from earlier tests.
  std::function<std::unique_ptr<GatewayStore>()> make;
};

// Test names and failure messages show the store's name, not the factory's bytes.
inline void PrintTo(const StoreFactory& factory, std::ostream* out) { *out << factory.name; }

class StoreContractTest : public testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().make();
    ASSERT_NE(store_, nullptr);
  }
  std::unique_ptr<GatewayStore> store_;
};

}  // namespace idempotency

#endif  // IDEMPOTENCY_TESTING_STORE_CONTRACT_H_
