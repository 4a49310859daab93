// Verifies STP's `firma`: base64 (standard alphabet) of an RSA PKCS#1 v1.5 SHA-256 signature
// over the UTF-8 cadena original, with the company's registered public key.
#ifndef SANDBOX_STP_STP_SIGNATURE_H_
#define SANDBOX_STP_STP_SIGNATURE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace sandbox {

class StpSignatureVerifier {
 public:
  // An RSA public key in PEM ("BEGIN PUBLIC KEY", SubjectPublicKeyInfo); "" gives a verifier that
  // refuses everything.
  static absl::StatusOr<std::unique_ptr<StpSignatureVerifier>> Create(const std::string& pem);
  ~StpSignatureVerifier();

  bool has_key() const { return key_ != nullptr; }
  bool Verify(const std::string& cadena, const std::string& firma_base64) const;

 private:
  explicit StpSignatureVerifier(void* key) : key_(key) {}
  void* key_;  // EVP_PKEY*; opaque here to keep OpenSSL out of the header
};

}  // namespace sandbox

#endif  // SANDBOX_STP_STP_SIGNATURE_H_
