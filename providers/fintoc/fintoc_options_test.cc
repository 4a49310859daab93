// Configurations the Fintoc adapter refuses to start with, and messages free of the secret.
#include "providers/fintoc/fintoc_options.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace providers::fintoc {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

FintocOptions Valid() {
  FintocOptions options;
  options.base_url = "https://fintoc.test";
  options.secret_key = "sk_test_AbC123";
  options.mode = "test";
  options.jws_private_key_path = "/run/secrets/fintoc/jws.pem";
  return options;
}

TEST(FintocOptionsTest, TestAndLiveKeysMustMatchTheMode) {
  struct Case {
    std::string key;
    std::string mode;
    std::string base_url;
    std::string why;  // a phrase the refusal must contain
  };
  const std::vector<Case> refused = {
      {"sk_live_AbC123", "test", "https://fintoc.test", "live secret key"},
      {"sk_test_AbC123", "live", "https://fintoc.test", "test secret key"},
      {"sk_test_AbC123", "", "https://fintoc.test", "mode"},
      {"sk_test_AbC123", "production", "https://fintoc.test", "mode"},
      {"sk_test_AbC123", "TEST", "https://fintoc.test", "mode"},
      {"pk_test_AbC123", "test", "https://fintoc.test", "not a Fintoc secret key"},
      {"", "test", "https://fintoc.test", "not a Fintoc secret key"},
      {"sk_test_AbC123\n", "test", "https://fintoc.test", "characters"},
      {"sk_test_AbC123\r\nX-Evil: 1", "test", "https://fintoc.test", "characters"},
      {"sk_live_AbC123", "live", "http://fintoc.test", "https"},
      {"sk_test_AbC123", "test", "fintoc.test", "base_url"},
      {"sk_test_AbC123", "test", "https://fintoc.test/?x=1", "query"},
  };
  for (const Case& c : refused) {
    FintocOptions options = Valid();
    options.secret_key = c.key;
    options.mode = c.mode;
    options.base_url = c.base_url;
    const absl::Status status = ValidateOptions(options);
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << c.why;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.why));
    EXPECT_THAT(std::string(status.message()), Not(HasSubstr("AbC123")));
  }
}

TEST(FintocOptionsTest, GoodConfigurationsPass) {
  EXPECT_TRUE(ValidateOptions(Valid()).ok());
  FintocOptions live = Valid();
  live.secret_key = "sk_live_AbC123";
  live.mode = "live";
  live.api_version = "2023-11-15";
  EXPECT_TRUE(ValidateOptions(live).ok());
  FintocOptions plain_http_in_test = Valid();  // the sandbox may run without TLS
  plain_http_in_test.base_url = "http://127.0.0.1:8080";
  EXPECT_TRUE(ValidateOptions(plain_http_in_test).ok());
}

TEST(FintocOptionsTest, OtherSettingsAreChecked) {
  FintocOptions no_key_file = Valid();
  no_key_file.jws_private_key_path = "";
  EXPECT_THAT(std::string(ValidateOptions(no_key_file).message()),
              HasSubstr("jws_private_key_path"));
  EXPECT_TRUE(ValidateOptions(no_key_file, /*need_key_path=*/false).ok());

  FintocOptions namespace_typo = Valid();
  namespace_typo.idempotency_namespace = "not-a-uuid";
  EXPECT_FALSE(ValidateOptions(namespace_typo).ok());

  FintocOptions no_limit = Valid();
  no_limit.max_payout_minor = 0;
  EXPECT_FALSE(ValidateOptions(no_limit).ok());

  FintocOptions header_injection = Valid();
  header_injection.api_version = "2023-11-15\r\nX: y";
  EXPECT_FALSE(ValidateOptions(header_injection).ok());
}

}  // namespace
}  // namespace providers::fintoc
