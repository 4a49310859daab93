// An StpSimulator behind a real HTTPS server on loopback with a fresh test PKI, the throwaway
// key pair of sandbox/stp/testdata, and two webhook recorders (state changes, deposits).
// Orders are signed here with OpenSSL over a cadena the test builds itself (not with the
// simulator's StpCadenaOriginal), so the two sides check each other. Settlement is manual.
#ifndef SANDBOX_STP_STP_TEST_FIXTURE_H_
#define SANDBOX_STP_STP_TEST_FIXTURE_H_

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "sandbox/common/clock.h"
#include "sandbox/http/http_server.h"
#include "sandbox/stp/stp_config.h"
#include "sandbox/stp/stp_simulator.h"
#include "sandbox/testing/test_client.h"
#include "sandbox/testing/webhook_recorder.h"
#include "sandbox/tls/test_pki.h"

namespace sandbox {

inline std::string ReadTestData(const std::string& name) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  const std::string path = absl::StrCat(srcdir ? srcdir : ".", "/", workspace ? workspace : "",
                                        "/sandbox/stp/testdata/", name);
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << "cannot read " << path;
  return text.str();
}

// base64(RSA PKCS#1 v1.5 SHA-256 of `text`) with the test private key.
inline std::string SignWithTestKey(const std::string& text) {
  static const std::string* const kPem =
      new std::string(ReadTestData("stp_sandbox_TEST_ONLY_private.pem"));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(kPem->data(), kPem->size()),
                                                &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (key == nullptr) return "";
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, data, text.size()) != 1) {
    return "";
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                     text.size()) != 1) {
    return "";
  }
  signature.resize(length);
  return absl::Base64Escape(signature);
}

// An order as the test sends it: the fields the cadena covers, as text, plus the JSON kinds.
struct TestOrder {
  std::string clave_rastreo = "SBXTEST0001";
  std::string monto = "12.34";  // sent as a JSON number with this text
  std::string concepto = "Pago de prueba";
  std::string cuenta_beneficiario = "072691004495711499";
  std::string institucion_contraparte = "40072";
  std::string nombre_beneficiario = "Ricardo Sanchez";
  std::string rfc_beneficiario = "ND";
  std::string referencia = "1234567";
  std::string tipo_cuenta_beneficiario = "40";
  std::string empresa = kStpDefaultEmpresa;
  std::string cuenta_ordenante = kStpDefaultCuentaOrdenante;

  // The cadena original written out by hand: 34 fields in STP's order.
  std::string Cadena() const {
    const std::vector<std::string> fields = {institucion_contraparte,
                                             empresa,
                                             "",
                                             "",
                                             clave_rastreo,
                                             "90646",
                                             monto,
                                             "1",
                                             "40",
                                             "SANDBOX SA DE CV",
                                             cuenta_ordenante,
                                             "",
                                             tipo_cuenta_beneficiario,
                                             nombre_beneficiario,
                                             cuenta_beneficiario,
                                             rfc_beneficiario,
                                             "",
                                             "",
                                             "",
                                             "",
                                             "",
                                             concepto,
                                             "",
                                             "",
                                             "",
                                             "",
                                             "",
                                             referencia,
                                             "",
                                             "T",
                                             "",
                                             "3",
                                             "0",
                                             ""};
    return absl::StrCat("||", absl::StrJoin(fields, "|"), "||");
  }

  // The JSON body; `firma` "" signs Cadena(), anything else is sent as is.
  std::string Body(const std::string& firma = "") const {
    return absl::StrCat(
        R"({"claveRastreo":")", clave_rastreo, R"(","conceptoPago":")", concepto,
        R"(","cuentaBeneficiario":")", cuenta_beneficiario, R"(","cuentaOrdenante":")",
        cuenta_ordenante, R"(","empresa":")", empresa, R"(","institucionContraparte":")",
        institucion_contraparte, R"(","institucionOperante":"90646","monto":)", monto,
        R"(,"nombreBeneficiario":")", nombre_beneficiario,
        R"(","nombreOrdenante":"SANDBOX SA DE CV","referenciaNumerica":)", referencia,
        R"(,"rfcCurpBeneficiario":")", rfc_beneficiario, R"(","tipoCuentaBeneficiario":)",
        tipo_cuenta_beneficiario,
        R"(,"tipoCuentaOrdenante":40,"tipoPago":1,"topologia":"T","medioEntrega":3,)",
        R"("prioridad":0,"firma":")", firma.empty() ? SignWithTestKey(Cadena()) : firma, R"("})");
  }
};

class StpSandboxTest : public ::testing::Test {
 protected:
  void SetUp() override { StartSandbox(DefaultConfig()); }
  void TearDown() override { StopSandbox(); }

  StpConfig DefaultConfig() {
    StpConfig config;
    config.public_key_pem = ReadTestData("stp_sandbox_TEST_ONLY_public.pem");
    config.state_webhook_url = states_.url("/stp/cambio_estado");
    config.deposit_webhook_url = deposits_.url("/stp/abono");
    config.settle_after = absl::Milliseconds(-1);
    config.webhooks.first_backoff = absl::Milliseconds(20);
    return config;
  }

  void StartSandbox(StpConfig config) {
    StopSandbox();
    absl::StatusOr<TestPki> pki = MakeTestPki("stp test CA", {"localhost"}, {"127.0.0.1"});
    ASSERT_TRUE(pki.ok()) << pki.status();
    auto simulator = StpSimulator::Create(config, &clock_);
    ASSERT_TRUE(simulator.ok()) << simulator.status();
    simulator_ = *std::move(simulator);
    ServerOptions options;
    options.control_endpoints = true;
    options.cert_pem = pki->server_cert_pem;
    options.key_pem = pki->server_key_pem;
    options.threads = 2;
    StpSimulator* raw = simulator_.get();
    auto server =
        HttpServer::Start(options, [raw](const ServerRequest& request, const Responder& responder) {
          raw->Handle(request, responder);
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    client_ = std::make_unique<TestClient>(absl::StrCat("https://127.0.0.1:", server_->port()),
                                           pki->ca_cert_pem);
  }

  void StopSandbox() {
    if (server_) server_->Stop();
    simulator_.reset();
    server_.reset();
  }

  TestClient& client() { return *client_; }

  HttpResponse Registra(const std::string& body) {
    return client().Fetch("PUT", "/speiws/rest/ordenPago/registra", body,
                          {{"Content-Type", "application/json"}});
  }

  // A signed consOrdEnvRastreo query for today (no fechaOperacion).
  HttpResponse ConsultaPorRastreo(const std::string& clave_rastreo) {
    // Same 34-field layout: empresa, claveRastreo and institucionOperante only.
    const std::string cadena = absl::StrCat("|||", kStpDefaultEmpresa, "|||", clave_rastreo,
                                            "|90646", std::string(30, '|'));
    return client().Post(
        "/speiws/rest/ordenPago/consOrdEnvRastreo",
        absl::StrCat(R"({"empresa":")", kStpDefaultEmpresa, R"(","claveRastreo":")", clave_rastreo,
                     R"(","institucionOperante":90646,"firma":")", SignWithTestKey(cadena),
                     R"("})"));
  }

  static int64_t ResultadoId(const HttpResponse& response) {
    const boost::json::value id = JsonAt(JsonBody(response), "/resultado/id");
    return id.is_int64() ? id.as_int64() : -999999;
  }
  static std::string ErrorText(const HttpResponse& response) {
    return JsonStrAt(JsonBody(response), "/resultado/descripcionError");
  }

  int64_t StateCount(const char* pointer) {
    return JsonAt(JsonBody(client().Get("/_sandbox/stp/state")), pointer).as_int64();
  }

  // Declared first: the simulator posts to them until it is destroyed.
  WebhookRecorder states_;
  WebhookRecorder deposits_;
  ManualClock clock_{absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()))};
  std::unique_ptr<StpSimulator> simulator_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<TestClient> client_;
};

}  // namespace sandbox

#endif  // SANDBOX_STP_STP_TEST_FIXTURE_H_
