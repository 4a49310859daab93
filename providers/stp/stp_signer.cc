#include "providers/stp/stp_signer.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "vocabulary/status_macros.h"

namespace providers::stp {
namespace {

// The reason of the oldest OpenSSL error on this thread, then a clean queue. OpenSSL's error
// strings name the failing step, never key material.
std::string TakeOpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no OpenSSL detail";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

// Hands OpenSSL the configured passphrase (possibly empty); never prompts on a terminal.
int PassphraseCallback(char* buffer, int size, int /*rwflag*/, void* user) {
  const auto* passphrase = static_cast<const std::string*>(user);
  if (passphrase == nullptr || passphrase->empty()) return -1;
  if (static_cast<int>(passphrase->size()) > size) return -1;
  std::memcpy(buffer, passphrase->data(), passphrase->size());
  return static_cast<int>(passphrase->size());
}

}  // namespace

struct StpSigner::Key {
  explicit Key(EVP_PKEY* key) : pkey(key) {}
  ~Key() { EVP_PKEY_free(pkey); }
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
  EVP_PKEY* pkey;  // owned; only read once built, so concurrent signing is safe
};

namespace {

// `where` names the source ("file /x/key.pem" or "the in-memory PEM"), never its contents.
absl::StatusOr<EVP_PKEY*> ParsePrivateKey(std::string& pem, const std::string& passphrase,
                                          const std::string& where) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = bio == nullptr ? nullptr
                                  : PEM_read_bio_PrivateKey(bio, nullptr, PassphraseCallback,
                                                            const_cast<std::string*>(&passphrase));
  BIO_free(bio);
  OPENSSL_cleanse(pem.data(), pem.size());
  if (pkey == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("the STP signing key in ", where,
                     " is not a PEM private key that opens with the configured passphrase (",
                     TakeOpenSslError(), ")"));
  }
  if (!EVP_PKEY_is_a(pkey, "RSA")) {
    EVP_PKEY_free(pkey);
    return absl::FailedPreconditionError(
        absl::StrCat("the STP signing key in ", where, " is not an RSA key"));
  }
  if (EVP_PKEY_get_bits(pkey) < kMinRsaBits) {
    const int bits = EVP_PKEY_get_bits(pkey);
    EVP_PKEY_free(pkey);
    return absl::FailedPreconditionError(absl::StrCat("the STP signing key in ", where, " has ",
                                                      bits, " bits; at least ", kMinRsaBits,
                                                      " are required"));
  }
  return pkey;
}

}  // namespace

StpSigner::StpSigner(StpSignerOptions options) : options_(std::move(options)) {}

StpSigner::~StpSigner() = default;

absl::StatusOr<std::unique_ptr<StpSigner>> StpSigner::Create(StpSignerOptions options) {
  const bool has_path = !options.private_key_path.empty();
  const bool has_pem = !options.private_key_pem.empty();
  if (has_path == has_pem) {
    return absl::FailedPreconditionError(
        "configure exactly one STP signing key source: a PEM file path or the PEM text");
  }
  if (!options.clock) options.clock = [] { return absl::Now(); };
  std::unique_ptr<StpSigner> signer(new StpSigner(std::move(options)));
  std::shared_ptr<const Key> key;
  if (has_path) {
    // Stat before reading: if the file changes in between, the next check loads it again.
    const FileStamp stamp = StatFile(signer->options_.private_key_path);
    ASSIGN_OR_RETURN(key, signer->LoadFromFile());
    absl::MutexLock lock(&signer->reload_mu_);
    signer->last_seen_ = stamp;
  } else {
    std::string pem = signer->options_.private_key_pem;
    ASSIGN_OR_RETURN(EVP_PKEY * pkey,
                     ParsePrivateKey(pem, signer->options_.passphrase, "the in-memory PEM"));
    key = std::make_shared<const Key>(pkey);
  }
  {
    absl::MutexLock lock(&signer->key_mu_);
    signer->key_ = std::move(key);
  }
  signer->key_loads_.store(1);
  signer->next_check_ns_.store(
      absl::ToUnixNanos(signer->options_.clock() + signer->options_.reload_check_interval));
  return signer;
}

absl::StatusOr<std::shared_ptr<const StpSigner::Key>> StpSigner::LoadFromFile() const {
  const std::string& path = options_.private_key_path;
  std::string pem;
  {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot read the STP signing key file ", path, ": ", std::strerror(errno)));
    }
    std::ostringstream contents;
    contents << file.rdbuf();
    pem = contents.str();
  }
  ASSIGN_OR_RETURN(EVP_PKEY * pkey,
                   ParsePrivateKey(pem, options_.passphrase, absl::StrCat("file ", path)));
  return std::make_shared<const Key>(pkey);
}

std::shared_ptr<const StpSigner::Key> StpSigner::CurrentKey() const {
  absl::ReaderMutexLock lock(&key_mu_);
  return key_;
}

absl::Status StpSigner::key_status() const {
  absl::ReaderMutexLock lock(&key_mu_);
  return key_status_;
}

void StpSigner::MaybeReload(absl::Time now) {
  if (options_.private_key_path.empty()) return;  // an in-memory key never changes
  const int64_t now_ns = absl::ToUnixNanos(now);
  int64_t due = next_check_ns_.load(std::memory_order_relaxed);
  if (now_ns < due) return;
  const int64_t next = now_ns + absl::ToInt64Nanoseconds(options_.reload_check_interval);
  // One caller per interval checks; the others sign with the current key.
  if (!next_check_ns_.compare_exchange_strong(due, next)) return;
  if (!reload_mu_.TryLock()) return;
  const FileStamp stamp = StatFile(options_.private_key_path);
  if (stamp == last_seen_) {
    reload_mu_.Unlock();
    return;
  }
  last_seen_ = stamp;
  auto key = LoadFromFile();
  reload_mu_.Unlock();

  const absl::Status status = key.status();
  {
    absl::MutexLock lock(&key_mu_);
    if (key.ok()) key_ = *std::move(key);
    key_status_ = status;
  }
  if (status.ok()) key_loads_.fetch_add(1, std::memory_order_relaxed);
  if (options_.on_reload) options_.on_reload(status);
}

absl::StatusOr<std::string> StpSigner::Sign(absl::string_view original_string) {
  MaybeReload(options_.clock());
  const std::shared_ptr<const Key> key = CurrentKey();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return absl::ResourceExhaustedError("cannot allocate an EVP_MD_CTX");
  std::vector<unsigned char> signature;
  size_t length = 0;
  bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key->pkey) == 1 &&
            EVP_DigestSign(ctx, nullptr, &length,
                           reinterpret_cast<const unsigned char*>(original_string.data()),
                           original_string.size()) == 1;
  if (ok) {
    signature.resize(length);
    ok = EVP_DigestSign(ctx, signature.data(), &length,
                        reinterpret_cast<const unsigned char*>(original_string.data()),
                        original_string.size()) == 1;
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) {
    return absl::InternalError(absl::StrCat("STP firma: signing failed: ", TakeOpenSslError()));
  }
  signature.resize(length);
  return absl::Base64Escape(
      absl::string_view(reinterpret_cast<const char*>(signature.data()), signature.size()));
}

absl::Status VerifyFirma(absl::string_view public_key_or_certificate_pem,
                         absl::string_view original_string, absl::string_view firma_base64) {
  std::string signature;
  if (firma_base64.empty() || !absl::Base64Unescape(firma_base64, &signature)) {
    return absl::UnauthenticatedError("the firma is not base64");
  }
  BIO* bio = BIO_new_mem_buf(public_key_or_certificate_pem.data(),
                             static_cast<int>(public_key_or_certificate_pem.size()));
  if (bio == nullptr) return absl::ResourceExhaustedError("cannot allocate a BIO");
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  if (pkey == nullptr) {
    ERR_clear_error();
    BIO_reset(bio);
    if (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
      pkey = X509_get_pubkey(cert);
      X509_free(cert);
    }
  }
  BIO_free(bio);
  if (pkey == nullptr || !EVP_PKEY_is_a(pkey, "RSA")) {
    EVP_PKEY_free(pkey);
    ERR_clear_error();
    return absl::FailedPreconditionError("the STP verification PEM holds no RSA public key");
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool verified =
      ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<const unsigned char*>(original_string.data()),
                       original_string.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  ERR_clear_error();
  if (!verified) return absl::UnauthenticatedError("the firma does not verify");
  return absl::OkStatus();
}

}  // namespace providers::stp
