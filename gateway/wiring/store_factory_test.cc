#include "gateway/wiring/store_factory.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace gateway {
namespace {

std::string ServerUrl() {
  const char* url = std::getenv("GATEWAY_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

TEST(StoreFactoryTest, PoolSizeMustBeAWholeNumberInRange) {
  for (const char* size : {"0", "65", "four", "", "-1"}) {
    auto opened =
        OpenStore(absl::StrCat("postgres://gw:pw-secret@127.0.0.1:1/payouts?pool_size=", size));
    ASSERT_FALSE(opened.ok()) << size;
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kInvalidArgument) << opened.status();
    EXPECT_EQ(opened.status().message().find("pw-secret"), absl::string_view::npos);
  }
}

TEST(StoreFactoryTest, PoolSizeIsNotHandedToLibpq) {
  // libpq would refuse pool_size as an unknown parameter (INVALID_ARGUMENT); with it taken
  // out, what is left is a refused connection to port 1.
  auto opened =
      OpenStore("postgresql://gw:pw-secret@127.0.0.1:1/payouts?connect_timeout=3&pool_size=2");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kUnavailable) << opened.status();
  EXPECT_EQ(opened.status().message().find("pw-secret"), absl::string_view::npos);
}

TEST(StoreFactoryTest, APostgresUrlOpensOneExecutorThreadPerConnection) {
  const std::string url = ServerUrl();
  ASSERT_FALSE(url.empty()) << "GATEWAY_TEST_POSTGRES_URL is not set: run the tests with "
                               "scripts/test.sh, which starts a throwaway PostgreSQL";
  const std::string separator = url.find('?') == std::string::npos ? "?" : "&";
  auto sized = OpenStore(absl::StrCat(url, separator, "pool_size=3"));
  ASSERT_TRUE(sized.ok()) << sized.status();
  EXPECT_EQ(sized->threads, 3);
  auto by_default = OpenStore(url);
  ASSERT_TRUE(by_default.ok()) << by_default.status();
  EXPECT_EQ(by_default->threads, 4);

  idempotency::ClaimRequest claim;
  claim.id = {"billing", "CreatePayout", absl::StrCat("factory-", absl::ToUnixNanos(absl::Now()))};
  claim.fingerprint = "fp";
  claim.owner = "a";
  claim.lease = absl::Seconds(30);
  claim.retention = absl::Hours(1);
  auto claimed = sized->store->Claim(claim, absl::Now());
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(claimed->outcome, idempotency::ClaimOutcome::kClaimed);
}

}  // namespace
}  // namespace gateway
