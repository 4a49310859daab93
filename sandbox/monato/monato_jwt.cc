#include "sandbox/monato/monato_jwt.h"

#include <vector>

#include <boost/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "sandbox/common/base64url.h"
#include "sandbox/common/crypto.h"
#include "sandbox/common/json_util.h"

namespace sandbox {
namespace {

constexpr char kHeader[] = R"({"alg":"HS256","typ":"JWT"})";

}  // namespace

std::string IssueMonatoJwt(absl::string_view secret, const MonatoJwtClaims& claims) {
  boost::json::object payload{{"client_id", claims.client_id}, {"exp", claims.exp}};
  const std::string signing_input = absl::StrCat(absl::WebSafeBase64Escape(kHeader), ".",
                                                 absl::WebSafeBase64Escape(ToJson(payload)));
  return absl::StrCat(signing_input, ".",
                      absl::WebSafeBase64Escape(HmacSha256(secret, signing_input)));
}

absl::optional<MonatoJwtClaims> VerifyMonatoJwt(absl::string_view secret, absl::string_view token) {
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return absl::nullopt;
  const absl::optional<std::string> signature = Base64UrlDecode(parts[2]);
  const std::string signing_input = absl::StrCat(parts[0], ".", parts[1]);
  if (!signature || !ConstantTimeEquals(*signature, HmacSha256(secret, signing_input))) {
    return absl::nullopt;
  }
  const absl::optional<std::string> header_json = Base64UrlDecode(parts[0]);
  const absl::optional<std::string> payload_json = Base64UrlDecode(parts[1]);
  if (!header_json || !payload_json) return absl::nullopt;
  const auto header = ParseJsonObject(*header_json);
  const auto payload = ParseJsonObject(*payload_json);
  if (!header || !payload) return absl::nullopt;
  const boost::json::string* alg = JsonString(*header, "alg");
  const boost::json::string* client_id = JsonString(*payload, "client_id");
  const boost::json::value* exp = JsonMember(*payload, "exp");
  if (alg == nullptr || *alg != "HS256" || client_id == nullptr || exp == nullptr ||
      !exp->is_int64()) {
    return absl::nullopt;
  }
  return MonatoJwtClaims{std::string(*client_id), exp->as_int64()};
}

}  // namespace sandbox
