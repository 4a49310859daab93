#include "sandbox/testing/jws_signer.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace sandbox {

std::string JwsProtectedHeader(absl::string_view nonce, int64_t ts) {
  return absl::StrCat(R"({"alg":"RS256","nonce":")", nonce, R"(","ts":)", ts,
                      R"(,"crit":["ts","nonce"]})");
}

absl::StatusOr<std::string> SignDetachedJws(absl::string_view private_key_pem,
                                            absl::string_view protected_json,
                                            absl::string_view body) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (key == nullptr) return absl::InvalidArgumentError("not a PEM private key");
  const std::string protected_b64 = absl::WebSafeBase64Escape(protected_json);
  const std::string signing_input =
      absl::StrCat(protected_b64, ".", absl::WebSafeBase64Escape(body));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t length = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return absl::InternalError("EVP_DigestSign setup failed");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return absl::InternalError("EVP_DigestSign failed");
  }
  signature.resize(length);
  return absl::StrCat(protected_b64, ".", absl::WebSafeBase64Escape(signature));
}

}  // namespace sandbox
