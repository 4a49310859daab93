// The JWS test vector of docs/providers/fintoc.md#test-vectors. TEST-ONLY key material: never use
// it outside tests, never upload it anywhere.
#include "providers/fintoc/testing/jws_test_util.h"

namespace providers::fintoc::jws_testing {

const char kVectorPrivateKeyPem[] = R"(-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCg+edGBYj1UIW6
JLCUTWu5ECjgOexI0TSVuZtDEmi6J5JYzyOOEQwfck3KbpApzjrcd4pDq2XVZqaZ
0ihTnsvNTGADhyPREeQbraLpHiSby/VaXu3p9MCcmdIqmpeGZW7gI0RBQpE+qwJ2
Lq64Qf0WXUWQJ+5Le2pSTvLP6PxEKW6w/7JKKvfHjrjy+CXr/3lnf+XyQNkwAzBR
UHPKe2atbCKQvbjnvw2/H4i5lLrMiPg3rDHFyRjnQet/m2U+yiqkZC/EgC+jmGU6
PZaTSSXVfQrDQ2IqVe/HPjm9HxxrnOlay58kkeAK+GI7M4eFmI2y48V8vmdAbfzH
tgvM0DZ1AgMBAAECggEARC5UxJWnkq/OVC8iE05PaAzuIzqlV5o0eY4pstjjPqVw
GOlzF8MkrVUOmcUGjo5o4+RFza+U7DQUMGaQ6goCLCxDJntgsjavtQFwVOiNfOeA
PgyjHEqsIigMmjrsHuJrece2KyX0uuRXoJLZMfXRKl3LDum6xoG5YK9LrL/zyTJP
PyE+K6+5OljXoAqZganE3IIV/DoBzyV57teVQKjTgu9KWPuZKyxZEc/4flitLaQe
i8d2yjGUaPdAP3dZeZzdbSD4AWSFXAhuiih+Lk45z37ff4i9YZK0pn1XyM121Afi
+Ms7y5YFZ3cfaxd9xcMnvPdJTu7RHWV2F0744/gJaQKBgQDRy+/ZZfjqx+PAMkkK
Pgm9k8GJYqywzFdfi68AaAzykKJdkJ8tshGykaoNUxTgWfNx2tHy9c7E+WQYs+BU
n4NgcT6rI5QqeAbVlKP38gBqHVLC2o1kQo1+kDZ4AZ/t09K1NW7vmu1khVENyJrY
fUYsbKLCW9k0TXVnNrhF4MUXCwKBgQDEbYht9NWAy+25keezs69AAJyjqflKx2Ri
0U+XIQF/IFvvdWmTwtecmdnzKWX6qxaHRHfMZoFSfEQb4yQs0N9STnXMndru3Wsi
dvYU/C2QAcq1HnB7a/EJtVL975x57XFFPQG+6dEvM2udZWsPmYNpaFl8g46itMmE
WZc8HBpYfwKBgAIFG6cVM0NXb1rvYQKnPELGBGwFNjJxlTnHR4USe2VufRG3jcDL
4R2+B0wfi6jpVM241KKpOTduS0dtm/BUpNgt3vOY4RlTlIVD7Bw8CUL8S0qy/f+E
IIaibtPS+C47BuFVxV6rODPqkLA4ST1iX2WYGi0S41F8mW/H+Bg8JMmnAoGBAI4h
Z4+QkhBg/wHApnRsNwnLp4vxSLYoMuYh6EJFmqyfAIbzYVKOsK7a0E7XjLflpiZ4
j2qyXS8PRcUcBSf8dys6JJjLPAiM5KGKjKNAmcNS2JdXkDJuN3o73vJpt8Kt4cEk
1KeMzlUmEt9P7Djcbq8N13p2QvZOdGY04W6YMyQHAoGAQKbrocJQS28HkRuFTNa7
bPu+2sSw9l32qty9XGcSHd5wnyGdonS6nYjIdmw2aJ0JCatBqUnNVZL4rvRlIA0F
6Blt3IKpuBO5A61AdskmV5CQN2si7NH79fG6rm8HJfOfaGxYQAjlhqma2qvGvsen
iDqV0+9mg1BlGSnv51MpaFA=
-----END PRIVATE KEY-----
)";

const char kVectorPublicKeyPem[] = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoPnnRgWI9VCFuiSwlE1r
uRAo4DnsSNE0lbmbQxJouieSWM8jjhEMH3JNym6QKc463HeKQ6tl1WammdIoU57L
zUxgA4cj0RHkG62i6R4km8v1Wl7t6fTAnJnSKpqXhmVu4CNEQUKRPqsCdi6uuEH9
Fl1FkCfuS3tqUk7yz+j8RClusP+ySir3x4648vgl6/95Z3/l8kDZMAMwUVBzyntm
rWwikL24578Nvx+IuZS6zIj4N6wxxckY50Hrf5tlPsoqpGQvxIAvo5hlOj2Wk0kl
1X0Kw0NiKlXvxz45vR8ca5zpWsufJJHgCvhiOzOHhZiNsuPFfL5nQG38x7YLzNA2
dQIDAQAB
-----END PUBLIC KEY-----
)";

// Exactly 180 bytes, no trailing newline.
const char kVectorBody[] =
    R"({"amount":59013,"currency":"MXN","account_id":"acc_M8sKf230BgHjD4","comment":"Pago de credito 10451","reference_id":"150195","counterparty":{"account_number":"014180655091438298"}})";

const char kVectorAProtectedHeader[] =
    R"({"alg": "RS256", "nonce": "00112233445566778899aabbccddeeff", "ts": 1756828731, "crit": ["ts", "nonce"]})";

const char kVectorASignatureHeader[] =
    "eyJhbGciOiAiUlMyNTYiLCAibm9uY2UiOiAiMDAxMTIyMzM0NDU1NjY3Nzg4OTlhYWJiY2NkZGVlZmYi"
    "LCAidHMiOiAxNzU2ODI4NzMxLCAiY3JpdCI6IFsidHMiLCAibm9uY2UiXX0.G-RjlMBqVyy9BIsWhl74"
    "vQLncAiVkGZ5AcC8h4G1lqHcXKY1U39p_pfpTDqEZqntRYnkm9CJfkA8mzZbzZ0mECGPt_OeWMoZGR4Y"
    "5I3YfGdk55BRmZTUCp6eduVxYIpYE9wcPtsMCfHuqrAopwrjsx6C-lf4Dlw5Exan3wt3wsGlBd45c9h9"
    "g89-els1h27OM4kOFd3CURSLLoVoTjGTdXxoibloajY70ZfcV8pX9NTM5Lvwj1BFk186Azv5xNvQMjk8"
    "SkHGfX6Yi3DOAMc5kODTUfg6bZecOsScqerQAFI7pdupf5czC5PXCTLTV3oULxqqcVwXAgRciKG4Qkpi"
    "hA";

const char kVectorBSignatureHeader[] =
    "eyJhbGciOiJSUzI1NiIsIm5vbmNlIjoiMDAxMTIyMzM0NDU1NjY3Nzg4OTlhYWJiY2NkZGVlZmYiLCJ0"
    "cyI6MTc1NjgyODczMSwiY3JpdCI6WyJ0cyIsIm5vbmNlIl19.D2ynCn-KNRPwq3Wcmj3vvfib29uQ5oC"
    "HxSpecvIeMQ-u5TSZbb-R7C9V8vqgTvF5PTdoPX2ZPz9l7M22c2YeCd8XIHfEyz2YLOp24qiEcacUfZM"
    "P-xajRwDe96-3E_iFn-3OfewEQXTx6rCNpZfo82pEy-0tK6eKV4V59v3W7TeNZQalSHjaU6ZxnWdWIo6"
    "cS1ZFK2mLs3zr-1S5LaBBS2TixmrAHkMA3IXY5EYQ8pv37VuROLXug-oqGsr0hfSijw6t3uen-3pAe2v"
    "yDdqXEYC7NOnhrGSh9J8xxDnGmWMr_UbgVk4vvPpq_PkhGNdA-nlj7eLUoXKPq1bYIJxVxg";

}  // namespace providers::fintoc::jws_testing
