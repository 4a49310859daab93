#!/usr/bin/env bash
# Writes the sandbox overlay's demo secrets to deploy/overlays/sandbox/secrets/ (gitignored).
# Existing files are kept, so re-running does not rotate anything.
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/secrets"
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"
[[ -s api_key ]] || echo "monato-sandbox-api-key" >api_key
[[ -s client_secret ]] || echo "monato-sandbox-client-secret" >client_secret
[[ -s webhook_token ]] || echo "monato-webhook-$(openssl rand -hex 16)" >webhook_token
[[ -s secret_key ]] || echo "sk_test_sandbox_$(openssl rand -hex 12)" >secret_key
[[ -s webhook_secret ]] || echo "whsec_$(openssl rand -hex 16)" >webhook_secret
[[ -s callers ]] || echo "demo: demo-caller-$(openssl rand -hex 16)" >callers
if [[ ! -s jws_private_key.pem ]]; then
  openssl genrsa -out jws_private_key.pem 2048 2>/dev/null
  openssl rsa -in jws_private_key.pem -pubout -out jws_public_key.pem 2>/dev/null
fi
chmod 600 ./*
echo "sandbox secrets in $dir (caller token for payctl: the 'demo' line of callers)"
