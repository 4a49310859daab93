#include "providers/fintoc/testing/provider_test_support.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "providers/common/json_fields.h"
#include "providers/fintoc/testing/jws_test_util.h"

namespace providers::fintoc::provider_testing {

std::string Header(const net::http::HttpRequest& request, absl::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

int HeaderCount(const net::http::HttpRequest& request, absl::string_view name) {
  int count = 0;
  for (const auto& header : request.headers) count += absl::EqualsIgnoreCase(header.first, name);
  return count;
}

std::string NonceOf(const std::string& signature) {
  auto header = jws_testing::ProtectedHeaderOf(signature);
  return header.ok() ? StringOr(*header, "nonce") : "";
}

std::string VectorKeyFile() {
  const std::string path = absl::StrCat(jws_testing::TestTempDir(), "/fintoc_provider_key.pem");
  jws_testing::ReplaceFile(path, jws_testing::kVectorPrivateKeyPem);
  return path;
}

FintocOptions Options() {
  FintocOptions options;
  options.base_url = kBaseUrl;
  options.secret_key = kSecretKey;
  options.mode = "test";
  options.jws_private_key_path = VectorKeyFile();
  options.api_version = "2023-11-15";
  return options;
}

PayoutOrder Order() {
  PayoutOrder order;
  auto& request = order.request;
  request.set_idempotency_key("order-42");
  request.set_source_account_id("fintoc.acct.acc_M8sKf230BgHjD4");
  request.mutable_amount()->set_amount_minor(59013);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_institution_code("40014");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.mutable_counterparty()->set_rfc("ND");
  request.set_description("Pago de credito 10451");
  request.set_numeric_reference(150195);
  order.source_account_native_id = "acc_M8sKf230BgHjD4";
  return order;
}

// An HttpClient whose every Send is a request the real client retried once: prepare_attempt
// runs twice on the same request, and both attempts are recorded as they would have gone out.

}  // namespace providers::fintoc::provider_testing
