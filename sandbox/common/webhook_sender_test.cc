// The webhook sender over real sockets: plain HTTP with retries driven by the receiver's
// fault injection, HTTPS with CA verification, giving up, and the scheduler it runs on.
#include "sandbox/common/webhook_sender.h"

#include <atomic>
#include <fstream>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "sandbox/common/http_client.h"
#include "sandbox/common/scheduler.h"
#include "sandbox/http/http_server.h"
#include "sandbox/testing/webhook_recorder.h"
#include "sandbox/tls/test_pki.h"

namespace sandbox {
namespace {

// Polls `condition` for up to 10 s: the sender updates its stats after the receiver replied.
template <class Condition>
bool Eventually(Condition condition) {
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    if (condition()) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return condition();
}

WebhookSenderOptions FastRetries() {
  WebhookSenderOptions options;
  options.first_backoff = absl::Milliseconds(20);
  options.max_attempts = 4;
  options.timeout = absl::Seconds(2);
  return options;
}

TEST(WebhookSenderTest, DeliversWithHeadersAndRetriesAfterFailures) {
  WebhookRecorder receiver;
  FaultPlan faults;
  faults.fail_next = 2;  // two 503s, then the real handler
  receiver.server().SetFaults(faults);
  WebhookSender sender(FastRetries());
  std::atomic<int> signed_attempts{0};
  WebhookDelivery delivery;
  delivery.url = receiver.url("/hooks/monato");
  delivery.body = R"({"hello":"world"})";
  delivery.headers = {{"Authorization", "Bearer token-1"}};
  delivery.per_attempt_headers = [&signed_attempts](const std::string& body) {
    return HeaderList{{"X-Attempt", absl::StrCat(++signed_attempts)},
                      {"X-Len", absl::StrCat(body.size())}};
  };
  sender.Send(delivery);
  const auto requests = receiver.WaitFor(1);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/hooks/monato");
  EXPECT_EQ(requests[0].body, R"({"hello":"world"})");
  EXPECT_EQ(requests[0].Header("authorization"), "Bearer token-1");
  EXPECT_EQ(requests[0].Header("content-type"), "application/json");
  EXPECT_EQ(requests[0].Header("x-attempt"), "3");  // the 3rd attempt got through
  EXPECT_EQ(requests[0].Header("x-len"), "17");
  ASSERT_TRUE(Eventually([&] { return sender.stats().delivered == 1; }));
  EXPECT_EQ(sender.stats().attempts, 3);
  EXPECT_EQ(sender.stats().failed, 0);
  EXPECT_EQ(sender.stats().pending(), 0);
}

TEST(WebhookSenderTest, GivesUpAfterMaxAttempts) {
  WebhookRecorder receiver;
  FaultPlan faults;
  faults.fail_next = 100;
  faults.fail_status = 500;
  receiver.server().SetFaults(faults);
  WebhookSender sender(FastRetries());
  sender.Send({receiver.url(), "{}", {}, nullptr, "TEST"});
  ASSERT_TRUE(Eventually([&] { return sender.stats().failed == 1; }));
  EXPECT_EQ(sender.stats().attempts, 4);
  EXPECT_EQ(sender.stats().delivered, 0);
  EXPECT_TRUE(receiver.requests().empty());
}

TEST(WebhookSenderTest, HttpsReceiverMustPresentACertificateFromTheConfiguredCa) {
  absl::StatusOr<TestPki> pki = MakeTestPki("webhook test CA", {"localhost"}, {"127.0.0.1"});
  ASSERT_TRUE(pki.ok()) << pki.status();
  const std::string ca_file = absl::StrCat(testing::TempDir(), "/webhook_ca.pem");
  std::ofstream(ca_file) << pki->ca_cert_pem;
  absl::Mutex mu;
  std::string received;
  ServerOptions options;
  options.cert_pem = pki->server_cert_pem;
  options.key_pem = pki->server_key_pem;
  auto server = HttpServer::Start(options, [&](const ServerRequest& request, Responder responder) {
    absl::MutexLock lock(&mu);
    received = request.body;
    responder.Send(ServerReply::Json(204, ""));
  });
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string url = absl::StrCat("https://127.0.0.1:", (*server)->port(), "/hook");

  WebhookSenderOptions trusting = FastRetries();
  trusting.ca_file = ca_file;
  WebhookSender sender(trusting);
  sender.Send({url, R"({"tls":true})", {}, nullptr, "TEST"});
  ASSERT_TRUE(Eventually([&] { return sender.stats().delivered == 1; }));
  {
    absl::MutexLock lock(&mu);
    EXPECT_EQ(received, R"({"tls":true})");
  }

  // Without the sandbox CA the system store does not trust the receiver: never delivered.
  WebhookSenderOptions untrusting = FastRetries();
  untrusting.max_attempts = 1;
  WebhookSender strict(untrusting);
  strict.Send({url, "{}", {}, nullptr, "TEST"});
  ASSERT_TRUE(Eventually([&] { return strict.stats().failed == 1; }));
  EXPECT_EQ(strict.stats().delivered, 0);
  (*server)->Stop();
}

TEST(HttpClientTest, ParsesUrls) {
  auto url = ParseUrl("https://127.0.0.1:8443/v2/transfers?limit=2");
  ASSERT_TRUE(url.has_value());
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, "8443");
  EXPECT_EQ(url->target, "/v2/transfers?limit=2");
  url = ParseUrl("http://localhost");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->port, "80");
  EXPECT_EQ(url->target, "/");
  url = ParseUrl("http://[::1]:81?x=1");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->target, "/?x=1");
  EXPECT_FALSE(ParseUrl("ftp://host/").has_value());
  EXPECT_FALSE(ParseUrl("http://host:99999/").has_value());
  EXPECT_FALSE(ParseUrl("http:///path").has_value());
}

TEST(SchedulerTest, RunsTasksInDueOrder) {
  Scheduler scheduler(1);
  absl::Mutex mu;
  std::string order;
  absl::Notification done;
  scheduler.RunAfter(absl::Milliseconds(60), [&] {
    absl::MutexLock lock(&mu);
    order += "c";
    done.Notify();
  });
  scheduler.RunAfter(absl::Milliseconds(30), [&] {
    absl::MutexLock lock(&mu);
    order += "b";
  });
  scheduler.RunAfter(absl::ZeroDuration(), [&] {
    absl::MutexLock lock(&mu);
    order += "a";
  });
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(5)));
  absl::MutexLock lock(&mu);
  EXPECT_EQ(order, "abc");
}

TEST(SchedulerTest, StopDropsTasksNotYetDue) {
  std::atomic<int> runs{0};
  {
    Scheduler scheduler(2);
    scheduler.RunAfter(absl::Hours(1), [&] { ++runs; });
    EXPECT_EQ(scheduler.pending(), 1);
    scheduler.Stop();
    scheduler.RunAfter(absl::ZeroDuration(), [&] { ++runs; });
  }
  EXPECT_EQ(runs.load(), 0);
}

TEST(WebhookSenderTest, FaultsDuplicateEveryEventAndLetLaterOnesOvertake) {
  WebhookRecorder receiver;
  WebhookSenderOptions options = FastRetries();
  options.threads = 4;
  WebhookSender sender(options);
  WebhookFaults faults;
  faults.duplicate_percent = 100;
  faults.max_delay = absl::Milliseconds(300);
  sender.SetFaults(faults);
  EXPECT_EQ(sender.faults().duplicate_percent, 100);
  constexpr int kEvents = 20;
  for (int i = 0; i < kEvents; ++i) {
    WebhookDelivery delivery;
    delivery.url = receiver.url("/hooks");
    delivery.body = absl::StrCat(i);
    sender.Send(delivery);
  }
  const auto requests = receiver.WaitFor(2 * kEvents);
  ASSERT_EQ(requests.size(), 2u * kEvents);
  std::map<std::string, int> copies;
  bool reordered = false;
  int previous = -1;
  for (const ServerRequest& request : requests) {
    ++copies[request.body];
    const int event = std::stoi(request.body);
    if (event < previous) reordered = true;
    previous = event;
  }
  EXPECT_EQ(copies.size(), static_cast<size_t>(kEvents));
  for (const auto& [body, count] : copies) EXPECT_EQ(count, 2) << body;
  // 40 deliveries each delayed 0-300 ms: arriving in send order has odds of about 1 in 40!.
  EXPECT_TRUE(reordered);
  EXPECT_EQ(sender.stats().duplicated, kEvents);
  EXPECT_TRUE(Eventually([&] { return sender.stats().delivered == 2 * kEvents; }));
}

}  // namespace
}  // namespace sandbox
