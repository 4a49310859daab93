#include "providers/fintoc/jws_signer.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "vocabulary/status_macros.h"

namespace providers::fintoc {
namespace {

constexpr int kMinRsaBits = 2048;

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

// Never prompt on a terminal for a passphrase: an encrypted key is a configuration error.
int RefusePassphrase(char*, int, int, void*) { return -1; }

absl::StatusOr<std::array<unsigned char, 16>> RandomNonce() {
  std::array<unsigned char, 16> bytes;
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return absl::InternalError(
        absl::StrCat("the CSPRNG could not produce a JWS nonce: ", TakeOpenSslError()));
  }
  return bytes;
}

}  // namespace

struct JwsSigner::Key {
  explicit Key(EVP_PKEY* key) : pkey(key) {}
  ~Key() { EVP_PKEY_free(pkey); }
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
  EVP_PKEY* pkey;  // owned; only read once built, so concurrent signing is safe
};

std::string CompactProtectedHeader(absl::string_view nonce_hex, int64_t unix_seconds) {
  return absl::StrCat(R"({"alg":"RS256","nonce":")", nonce_hex, R"(","ts":)", unix_seconds,
                      R"(,"crit":["ts","nonce"]})");
}

JwsSigner::JwsSigner(JwsSignerOptions options) : options_(std::move(options)) {}

JwsSigner::~JwsSigner() = default;

absl::StatusOr<std::unique_ptr<JwsSigner>> JwsSigner::Create(JwsSignerOptions options) {
  if (options.private_key_path.empty()) {
    return absl::FailedPreconditionError("no Fintoc JWS private key file is configured");
  }
  if (!options.clock) options.clock = [] { return absl::Now(); };
  if (!options.nonce_source) options.nonce_source = RandomNonce;
  std::unique_ptr<JwsSigner> signer(new JwsSigner(std::move(options)));
  // Stat before reading: if the file changes in between, the next check loads it again.
  const FileStamp stamp = StatFile(signer->options_.private_key_path);
  ASSIGN_OR_RETURN(auto key, LoadKey(signer->options_.private_key_path));
  {
    absl::MutexLock lock(&signer->reload_mu_);
    signer->last_seen_ = stamp;
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

absl::StatusOr<std::shared_ptr<JwsSigner::Key>> JwsSigner::LoadKey(const std::string& path) {
  std::string pem;
  {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot read the Fintoc JWS private key file ", path, ": ", std::strerror(errno)));
    }
    std::ostringstream contents;
    contents << file.rdbuf();
    pem = contents.str();
  }
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey =
      bio == nullptr ? nullptr : PEM_read_bio_PrivateKey(bio, nullptr, RefusePassphrase, nullptr);
  BIO_free(bio);
  OPENSSL_cleanse(pem.data(), pem.size());
  if (pkey == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("the Fintoc JWS key file ", path,
                     " does not hold an unencrypted PEM private key (", TakeOpenSslError(), ")"));
  }
  auto key = std::make_shared<Key>(pkey);
  if (!EVP_PKEY_is_a(pkey, "RSA")) {
    return absl::FailedPreconditionError(
        absl::StrCat("the Fintoc JWS key in ", path, " is not an RSA key (RS256 needs one)"));
  }
  if (EVP_PKEY_get_bits(pkey) < kMinRsaBits) {
    return absl::FailedPreconditionError(absl::StrCat("the Fintoc JWS key in ", path, " has ",
                                                      EVP_PKEY_get_bits(pkey),
                                                      " bits; at least 2048 are required"));
  }
  return key;
}

std::shared_ptr<const JwsSigner::Key> JwsSigner::CurrentKey() const {
  absl::ReaderMutexLock lock(&key_mu_);
  return key_;
}

absl::Status JwsSigner::key_status() const {
  absl::ReaderMutexLock lock(&key_mu_);
  return key_status_;
}

void JwsSigner::MaybeReload(absl::Time now) {
  const int64_t now_ns = absl::ToUnixNanos(now);
  int64_t due = next_check_ns_.load(std::memory_order_relaxed);
  if (now_ns < due) return;  // the fast path of nearly every call: one atomic load
  const int64_t next = now_ns + absl::ToInt64Nanoseconds(options_.reload_check_interval);
  // Exactly one caller per interval wins and checks; the rest sign with the current key.
  if (!next_check_ns_.compare_exchange_strong(due, next)) return;
  if (!reload_mu_.TryLock()) return;  // a slow reload is still running
  const FileStamp stamp = StatFile(options_.private_key_path);
  if (stamp == last_seen_) {
    reload_mu_.Unlock();
    return;
  }
  last_seen_ = stamp;
  auto key = LoadKey(options_.private_key_path);
  reload_mu_.Unlock();

  absl::Status status = key.status();
  {
    absl::MutexLock lock(&key_mu_);
    if (key.ok()) key_ = *std::move(key);
    key_status_ = status;
  }
  if (status.ok()) key_loads_.fetch_add(1, std::memory_order_relaxed);
  if (options_.on_reload) options_.on_reload(status);
}

absl::StatusOr<std::string> JwsSigner::Sign(absl::string_view body) {
  const absl::Time now = options_.clock();
  MaybeReload(now);
  ASSIGN_OR_RETURN(auto nonce, options_.nonce_source());
  const std::string header =
      CompactProtectedHeader(absl::BytesToHexString(absl::string_view(
                                 reinterpret_cast<const char*>(nonce.data()), nonce.size())),
                             absl::ToUnixSeconds(now));
  std::shared_ptr<const Key> key = CurrentKey();
  absl::StatusOr<std::string> signature = SignInput(*key, absl::WebSafeBase64Escape(header), body);
  if (options_.on_signed) options_.on_signed(signature.status());
  return signature;
}

absl::StatusOr<std::string> JwsSigner::SignWithProtectedHeaderForTesting(
    absl::string_view protected_header, absl::string_view body) {
  std::shared_ptr<const Key> key = CurrentKey();
  return SignInput(*key, absl::WebSafeBase64Escape(protected_header), body);
}

absl::StatusOr<std::string> JwsSigner::SignInput(const Key& key, absl::string_view protected_b64,
                                                 absl::string_view body) const {
  const std::string input = absl::StrCat(protected_b64, ".", absl::WebSafeBase64Escape(body));
  // A context per call: EVP_PKEY is shared read-only, EVP_MD_CTX never is.
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  if (context == nullptr) return absl::ResourceExhaustedError("out of memory for a JWS context");
  std::string signature;
  size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  bool ok = EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, key.pkey) == 1 &&
            EVP_DigestSign(context, nullptr, &length, data, input.size()) == 1;
  if (ok) {
    signature.resize(length);
    ok = EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                        input.size()) == 1;
    signature.resize(length);
  }
  EVP_MD_CTX_free(context);
  if (!ok) {
    return absl::InternalError(absl::StrCat("RS256 signing failed: ", TakeOpenSslError()));
  }
  return absl::StrCat(protected_b64, ".", absl::WebSafeBase64Escape(signature));
}

}  // namespace providers::fintoc
