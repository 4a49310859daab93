#include "sandbox/stp/stp_signature.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <vector>

#include "absl/strings/escaping.h"

namespace sandbox {

absl::StatusOr<std::unique_ptr<StpSignatureVerifier>> StpSignatureVerifier::Create(
    const std::string& pem) {
  if (pem.empty()) return std::unique_ptr<StpSignatureVerifier>(new StpSignatureVerifier(nullptr));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), pem.size()), &BIO_free);
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr || EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    return absl::InvalidArgumentError("the STP public key is not an RSA public key in PEM");
  }
  return std::unique_ptr<StpSignatureVerifier>(new StpSignatureVerifier(key));
}

StpSignatureVerifier::~StpSignatureVerifier() { EVP_PKEY_free(static_cast<EVP_PKEY*>(key_)); }

bool StpSignatureVerifier::Verify(const std::string& cadena,
                                  const std::string& firma_base64) const {
  if (key_ == nullptr || firma_base64.empty()) return false;
  std::string signature;
  if (!absl::Base64Unescape(firma_base64, &signature) || signature.empty()) return false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_PKEY_CTX* pkey_ctx = nullptr;
  if (EVP_DigestVerifyInit(ctx.get(), &pkey_ctx, EVP_sha256(), nullptr,
                           static_cast<EVP_PKEY*>(key_)) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PADDING) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(cadena.data()),
                          cadena.size()) == 1;
}

}  // namespace sandbox
