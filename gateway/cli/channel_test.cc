#include "gateway/cli/channel.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace gateway {
namespace {

std::string Write(const std::string& name, const std::string& content) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

ChannelOptions Options(std::string ca, std::string cert = "", std::string key = "",
                       std::string server_name = "") {
  ChannelOptions options;
  options.address = "127.0.0.1:1";
  options.tls_ca_file = std::move(ca);
  options.tls_cert_file = std::move(cert);
  options.tls_key_file = std::move(key);
  options.tls_server_name = std::move(server_name);
  return options;
}

TEST(ChannelTest, WithoutCaFileThePlaintextChannelOfTheDemo) {
  auto channel = MakeChannel(Options(""));
  ASSERT_TRUE(channel.ok()) << channel.status();
  EXPECT_NE(*channel, nullptr);
}

TEST(ChannelTest, AnUnreadableFileIsNamedByItsFlag) {
  const std::string ca = Write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
  auto missing_ca = MakeChannel(Options("/nonexistent/ca.pem"));
  ASSERT_FALSE(missing_ca.ok());
  EXPECT_EQ(missing_ca.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(missing_ca.status().message(), "--tls_ca_file"));
  EXPECT_TRUE(absl::StrContains(missing_ca.status().message(), "/nonexistent/ca.pem"));

  auto missing_key = MakeChannel(Options(ca, ca, "/nonexistent/client.key"));
  ASSERT_FALSE(missing_key.ok());
  EXPECT_TRUE(absl::StrContains(missing_key.status().message(), "--tls_key_file"));
}

TEST(ChannelTest, ClientCertificateAndKeyComeTogether) {
  const std::string ca = Write("ca2.pem", "-----BEGIN CERTIFICATE-----\n");
  auto cert_only = MakeChannel(Options(ca, ca));
  ASSERT_FALSE(cert_only.ok());
  EXPECT_TRUE(absl::StrContains(cert_only.status().message(), "--tls_cert_file is set without"));
  auto key_only = MakeChannel(Options(ca, "", ca));
  ASSERT_FALSE(key_only.ok());
  EXPECT_TRUE(absl::StrContains(key_only.status().message(), "--tls_key_file is set without"));
}

TEST(ChannelTest, TlsFlagsWithoutCaFileAreRefusedNotIgnored) {
  auto channel = MakeChannel(Options("", "", "", "gateway.internal"));
  ASSERT_FALSE(channel.ok());
  EXPECT_TRUE(absl::StrContains(channel.status().message(), "--tls_ca_file"));
}

TEST(ChannelTest, TokenFileWinsOverTheEnvironmentAndLosesItsTrailingNewline) {
  ASSERT_EQ(setenv("GATEWAY_CALLER_TOKEN", "from-environment", 1), 0);
  auto from_env = ReadCallerToken("");
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(*from_env, "from-environment");

  auto from_file = ReadCallerToken(Write("token", "from-file-secret\n"));
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(*from_file, "from-file-secret");
  unsetenv("GATEWAY_CALLER_TOKEN");
  auto none = ReadCallerToken("");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, "");
}

TEST(ChannelTest, AnEmptyOrMissingTokenFileIsAnErrorNamingTheFlag) {
  auto missing = ReadCallerToken("/nonexistent/token");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(absl::StrContains(missing.status().message(), "--token_file"));
  auto only_newline = ReadCallerToken(Write("blank-token", "\n"));
  ASSERT_FALSE(only_newline.ok());
  EXPECT_TRUE(absl::StrContains(only_newline.status().message(), "--token_file"));
}

}  // namespace
}  // namespace gateway
