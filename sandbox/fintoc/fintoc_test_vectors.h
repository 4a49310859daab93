// The Fintoc test vectors (docs/providers/fintoc.md#test-vectors): JWS and webhook signature,
// copied byte for byte.
#ifndef SANDBOX_FINTOC_FINTOC_TEST_VECTORS_H_
#define SANDBOX_FINTOC_FINTOC_TEST_VECTORS_H_

#include <cstdint>

namespace sandbox {

// JWS vector: the 180-byte request body, no trailing newline.
inline constexpr char kJwsVectorBody[] =
    R"({"amount":59013,"currency":"MXN","account_id":"acc_M8sKf230BgHjD4","comment":"Pago de credito 10451","reference_id":"150195","counterparty":{"account_number":"014180655091438298"}})";

// JWS Vector A (fintoc-python style protected header, with spaces) and Vector B (compact).
// Both use nonce 00112233445566778899aabbccddeeff and ts 1756828731.
inline constexpr int64_t kJwsVectorTs = 1756828731;
inline constexpr char kJwsVectorA[] =
    "eyJhbGciOiAiUlMyNTYiLCAibm9uY2UiOiAiMDAxMTIyMzM0NDU1NjY3Nzg4OTlhYWJiY2NkZGVlZmYiLCAidHMiOi"
    "AxNzU2ODI4NzMxLCAiY3JpdCI6IFsidHMiLCAibm9uY2UiXX0.G-RjlMBqVyy9BIsWhl74vQLncAiVkGZ5AcC8h4G1"
    "lqHcXKY1U39p_pfpTDqEZqntRYnkm9CJfkA8mzZbzZ0mECGPt_OeWMoZGR4Y5I3YfGdk55BRmZTUCp6eduVxYIpYE9"
    "wcPtsMCfHuqrAopwrjsx6C-lf4Dlw5Exan3wt3wsGlBd45c9h9g89-els1h27OM4kOFd3CURSLLoVoTjGTdXxoiblo"
    "ajY70ZfcV8pX9NTM5Lvwj1BFk186Azv5xNvQMjk8SkHGfX6Yi3DOAMc5kODTUfg6bZecOsScqerQAFI7pdupf5czC5"
    "PXCTLTV3oULxqqcVwXAgRciKG4QkpihA";
inline constexpr char kJwsVectorB[] =
    "eyJhbGciOiJSUzI1NiIsIm5vbmNlIjoiMDAxMTIyMzM0NDU1NjY3Nzg4OTlhYWJiY2NkZGVlZmYiLCJ0cyI6MTc1Nj"
    "gyODczMSwiY3JpdCI6WyJ0cyIsIm5vbmNlIl19.D2ynCn-KNRPwq3Wcmj3vvfib29uQ5oCHxSpecvIeMQ-u5TSZbb-"
    "R7C9V8vqgTvF5PTdoPX2ZPz9l7M22c2YeCd8XIHfEyz2YLOp24qiEcacUfZMP-xajRwDe96-3E_iFn-3OfewEQXTx6"
    "rCNpZfo82pEy-0tK6eKV4V59v3W7TeNZQalSHjaU6ZxnWdWIo6cS1ZFK2mLs3zr-1S5LaBBS2TixmrAHkMA3IXY5EY"
    "Q8pv37VuROLXug-oqGsr0hfSijw6t3uen-3pAe2vyDdqXEYC7NOnhrGSh9J8xxDnGmWMr_UbgVk4vvPpq_PkhGNdA-"
    "nlj7eLUoXKPq1bYIJxVxg";

// Webhook vector: a real webhook from the official SDK tests.
inline constexpr char kWebhookVectorSecret[] = "whsec_test_secret";
inline constexpr int64_t kWebhookVectorTimestamp = 1743890251;
inline constexpr char kWebhookVectorSignature[] =
    "11b98dd8f5500109246aa4d9875fad2e97d462560b012a5f50ff924411de0b0f";
inline constexpr char kWebhookVectorBody[] =
    R"({"id":"evt_2AaZeLCz0GjOW5zj","type":"payment_intent.succeeded","mode":"test","created_at":"2025-04-05T21:57:31.834Z","data":{"id":"pi_2vKOKniSGXRhXTKrJ67VXZxGCVt","mode":"test","amount":1,"object":"payment_intent","status":"succeeded","currency":"MXN","metadata":{},"created_at":"2025-04-05T21:57:17Z","expires_at":null,"error_reason":null,"payment_type":"bank_transfer","reference_id":null,"widget_token":null,"customer_email":null,"sender_account":{"type":"checking_account","number":"501514890244223279","holder_id":"mfiu593501oe4","institution_id":"mx_stp"},"business_profile":null,"transaction_date":null,"recipient_account":{"type":"checking_account","number":"646180357600000000","holder_id":"fsm211008hz9","institution_id":"mx_stp"},"payment_type_options":{}},"object":"event"})";

}  // namespace sandbox

#endif  // SANDBOX_FINTOC_FINTOC_TEST_VECTORS_H_
