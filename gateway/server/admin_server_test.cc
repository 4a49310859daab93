#include "gateway/server/admin_server.h"

#include "gtest/gtest.h"
#include "metrics/registry.h"

namespace gateway {
namespace {

TEST(AdminServerTest, RefusesAnAddressThatIsNotHostColonPort) {
  metrics::Registry registry;
  for (const char* bad : {"9464", "", "host", "host:", "host:x", "host:+1", "host:99999",
                          "user@host:9464", "::1:9464", "host:9464/path"}) {
    auto server = StartAdminServer(bad, &registry, nullptr);
    EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(AdminServerTest, ListensOnHostAndPortWithPortZeroPickingAFreeOne) {
  metrics::Registry registry;
  auto server = StartAdminServer("127.0.0.1:0", &registry, nullptr);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_GT((*server)->port(), 0);
  (*server)->Stop();
}

}  // namespace
}  // namespace gateway
