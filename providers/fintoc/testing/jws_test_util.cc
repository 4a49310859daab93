#include "providers/fintoc/testing/jws_test_util.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "providers/common/json_fields.h"

namespace providers::fintoc::jws_testing {
namespace {

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace

RsaKeyPairPem GenerateRsaKeyPair(int bits) {
  EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned int>(bits));
  if (key == nullptr) throw std::runtime_error("EVP_RSA_gen failed");
  RsaKeyPairPem pair;
  BIO* private_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(private_bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  pair.private_pem = BioContents(private_bio);
  BIO_free(private_bio);
  BIO* public_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(public_bio, key);
  pair.public_pem = BioContents(public_bio);
  BIO_free(public_bio);
  EVP_PKEY_free(key);
  return pair;
}

absl::Status VerifyDetachedJws(absl::string_view public_key_pem, absl::string_view header_value,
                               absl::string_view body) {
  const size_t dot = header_value.find('.');
  if (dot == absl::string_view::npos ||
      header_value.find('.', dot + 1) != absl::string_view::npos) {
    return absl::InvalidArgumentError("a detached JWS has exactly two parts");
  }
  const absl::string_view protected_b64 = header_value.substr(0, dot);
  std::string signature;
  if (!absl::WebSafeBase64Unescape(header_value.substr(dot + 1), &signature)) {
    return absl::InvalidArgumentError("the JWS signature is not base64url");
  }
  const std::string input = absl::StrCat(protected_b64, ".", absl::WebSafeBase64Escape(body));

  BIO* bio = BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) return absl::InvalidArgumentError("not a PEM public key");
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const int verified =
      EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, key) == 1
          ? EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                             input.size())
          : -1;
  EVP_MD_CTX_free(context);
  EVP_PKEY_free(key);
  ERR_clear_error();
  if (verified != 1) return absl::UnauthenticatedError("signature does not verify");
  return absl::OkStatus();
}

absl::StatusOr<boost::json::object> ProtectedHeaderOf(absl::string_view header_value) {
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(header_value.substr(0, header_value.find('.')), &decoded)) {
    return absl::InvalidArgumentError("the JWS protected header is not base64url");
  }
  return ParseJsonObject(decoded);
}

void ReplaceFile(const std::string& path, const std::string& contents) {
  const std::string staging = path + ".new";
  {
    std::ofstream file(staging, std::ios::binary | std::ios::trunc);
    file << contents;
  }
  if (std::rename(staging.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("rename failed");
  }
}

std::string TestTempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

}  // namespace providers::fintoc::jws_testing
