#include "sandbox/fintoc/jws_verifier.h"

#include <openssl/pem.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "sandbox/common/base64url.h"
#include "sandbox/common/json_util.h"

namespace sandbox {
namespace {

JwsCheck Fail(const char* code, std::string message) { return {false, code, std::move(message)}; }

bool IsLowerHex32(const boost::json::string& nonce) {
  if (nonce.size() != 32) return false;
  for (char c : nonce) {
    if (!absl::ascii_isdigit(c) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

bool IsCritTsNonce(const boost::json::value* crit) {
  if (crit == nullptr || !crit->is_array() || crit->as_array().size() != 2) return false;
  bool ts = false, nonce = false;
  for (const auto& entry : crit->as_array()) {
    if (!entry.is_string()) return false;
    ts |= entry.as_string() == "ts";
    nonce |= entry.as_string() == "nonce";
  }
  return ts && nonce;
}

}  // namespace

absl::StatusOr<std::unique_ptr<JwsVerifier>> JwsVerifier::Create(const std::string& public_key_pem,
                                                                 const Clock* clock,
                                                                 JwsVerifierOptions options) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(nullptr, &EVP_PKEY_free);
  if (!public_key_pem.empty()) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size())), &BIO_free);
    key.reset(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (key == nullptr) {
      return absl::InvalidArgumentError("the JWS public key is not a PEM public key");
    }
    if (!EVP_PKEY_is_a(key.get(), "RSA") || EVP_PKEY_get_bits(key.get()) < 2048) {
      return absl::InvalidArgumentError("the JWS public key must be RSA, 2048 bits or more");
    }
  }
  return std::unique_ptr<JwsVerifier>(new JwsVerifier(std::move(key), clock, options));
}

JwsCheck JwsVerifier::Verify(absl::string_view header_value, absl::string_view body) {
  if (header_value.empty()) {
    return Fail("missing_jws_signature_header", "The Fintoc-JWS-Signature header is required.");
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(header_value, '.');
  const absl::optional<std::string> protected_json =
      parts.size() == 2 ? Base64UrlDecode(parts[0]) : absl::nullopt;
  const absl::optional<std::string> signature =
      parts.size() == 2 ? Base64UrlDecode(parts[1]) : absl::nullopt;
  if (!protected_json || !signature || parts[0].empty() || signature->empty()) {
    return Fail("invalid_jws_signature_header",
                "Fintoc-JWS-Signature must be <base64url protected header>.<base64url signature>.");
  }
  const absl::optional<boost::json::object> header = ParseJsonObject(*protected_json);
  if (!header) {
    return Fail("invalid_jws_signature_header", "The protected header is not a JSON object.");
  }
  const boost::json::string* alg = JsonString(*header, "alg");
  if (alg == nullptr || *alg != "RS256") {
    return Fail("invalid_jws_signature_algorithm", "The JWS algorithm must be RS256.");
  }
  if (!IsCritTsNonce(JsonMember(*header, "crit"))) {
    return Fail("invalid_jws_signature_header", R"(crit must be ["ts","nonce"].)");
  }
  const boost::json::string* nonce = JsonString(*header, "nonce");
  if (nonce == nullptr || !IsLowerHex32(*nonce)) {
    return Fail("invalid_jws_signature_nonce", "nonce must be 32 lower-case hex characters.");
  }
  const boost::json::value* ts = JsonMember(*header, "ts");
  if (ts == nullptr || !ts->is_int64()) {
    return Fail("invalid_jws_signature_timestamp_format", "ts must be an integer (Unix seconds).");
  }
  if (key_ == nullptr) {
    return Fail("missing_active_jws_public_key", "No active JWS public key is configured.");
  }
  if (!SignatureValid(absl::StrCat(parts[0], ".", absl::WebSafeBase64Escape(body)), *signature)) {
    return Fail("invalid_jws_signature",
                "The signature does not match the protected header and the request body.");
  }
  const absl::Time signed_at = absl::FromUnixSeconds(ts->as_int64());
  const absl::Time now = clock_->Now();
  if (signed_at < now - options_.max_age || signed_at > now + options_.max_future) {
    return Fail("invalid_jws_signature_timestamp",
                absl::StrCat("ts is outside the accepted window (", ts->as_int64(), ")."));
  }
  if (!SpendNonce(std::string(*nonce))) {
    return Fail("jws_nonce_already_used", "This JWS nonce was already used.");
  }
  return {true, "", ""};
}

bool JwsVerifier::SignatureValid(absl::string_view signing_input,
                                 absl::string_view signature) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  // RSA keys default to PKCS#1 v1.5 padding: RS256.
  return ctx != nullptr &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

bool JwsVerifier::SpendNonce(const std::string& nonce) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  while (!nonce_expiry_.empty() && nonce_expiry_.front().first <= now) {
    nonces_.erase(nonce_expiry_.front().second);
    nonce_expiry_.pop_front();
  }
  if (!nonces_.insert(nonce).second) return false;
  nonce_expiry_.emplace_back(now + options_.nonce_memory, nonce);
  return true;
}

}  // namespace sandbox
