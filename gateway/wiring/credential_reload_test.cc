#include "gateway/wiring/credential_reload.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace gateway {
namespace {

// Writes `text` to a new file and renames it over `path` (a new inode, as a Secret update),
// so the watcher sees a change whatever the clock's resolution.
void Replace(const std::string& path, const std::string& text) {
  const std::string next = path + ".next";
  std::ofstream(next) << text;
  ASSERT_EQ(std::rename(next.c_str(), path.c_str()), 0);
}

TEST(CredentialReloadTest, ACallersFileWithNoTokenKeepsTheOldTokens) {
  const std::string path = std::string(getenv("TEST_TMPDIR")) + "/callers";
  std::ofstream(path) << "billing: tok-billing-0123456789\n";
  GatewayConfig config;
  config.callers.file = path;
  auto auth = CallerAuthenticator::FromText("billing: tok-billing-0123456789\n");
  ASSERT_TRUE(auth.ok()) << auth.status();
  BuiltProviders built;
  CredentialWatcher watcher;
  WatchCredentials(config, &built, auth->get(), &watcher);

  // Only comments: refused, the old tokens stay (authentication stays on).
  Replace(path, "# callers moved elsewhere\n\n");
  watcher.CheckNow();
  EXPECT_TRUE((*auth)->enabled()) << "an empty callers file turned authentication off";

  // A valid file is still applied afterwards.
  Replace(path, "payroll: tok-payroll-0123456789\n");
  watcher.CheckNow();
  EXPECT_TRUE((*auth)->enabled());
}

}  // namespace
}  // namespace gateway
