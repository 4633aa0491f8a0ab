#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "mtls-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# address mtls-lb-ip (global): external IP address of the load balancer
gcloud compute addresses create mtls-lb-ip \
    --global \
    --ip-version=IPV4 \
    --description='[serverless-lb:mtls-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update mtls-lb-ip \
    --global \
    --update-labels=serverless-lb=mtls-lb \
    --project=demo-project

# SSL certificate mtls-lb-cert (global): Google-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create mtls-lb-cert \
    --domains=secure.example.com \
    --global \
    --description='[serverless-lb:mtls-lb] Google-managed certificate for the HTTPS proxy' \
    --project=demo-project

# SSL policy mtls-lb-ssl-policy (global): SSL policy: the TLS versions and cipher suites the HTTPS proxy accepts
gcloud compute ssl-policies create mtls-lb-ssl-policy \
    --profile=MODERN \
    --min-tls-version=1.2 \
    --global \
    --description='[serverless-lb:mtls-lb] SSL policy: the TLS versions and cipher suites the HTTPS proxy accepts' \
    --project=demo-project

# trust config mtls-lb-trust-config (global): trust config: the CAs whose client certificates mutual TLS accepts
gcloud certificate-manager trust-configs create mtls-lb-trust-config \
    --trust-store=trust-anchors=<repo>/docs/examples/certs/client-ca.pem \
    --location=global \
    --description='[serverless-lb:mtls-lb] trust config: the CAs whose client certificates mutual TLS accepts' \
    --labels=serverless-lb=mtls-lb \
    --project=demo-project

# server TLS policy mtls-lb-mtls-policy (global): server TLS policy: mutual TLS (a valid client certificate is required)
gcloud network-security server-tls-policies import mtls-lb-mtls-policy \
    --location=global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
mtlsPolicy:
  clientValidationMode: REJECT_INVALID
  clientValidationTrustConfig: projects/demo-project/locations/global/trustConfigs/mtls-lb-trust-config
description: "[serverless-lb:mtls-lb] server TLS policy: mutual TLS (a valid client certificate is required)"
labels:
  serverless-lb: mtls-lb
name: mtls-lb-mtls-policy
SERVERLESS_LB_YAML

# network endpoint group mtls-lb-web-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend web: Cloud Run service web
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create mtls-lb-web-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web \
    --project=demo-project

# backend service mtls-lb-web-bs (global): backend service for backend web
gcloud compute backend-services create mtls-lb-web-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:mtls-lb] backend service for backend web' \
    --project=demo-project
gcloud compute backend-services add-backend mtls-lb-web-bs \
    --global \
    --network-endpoint-group=mtls-lb-web-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map mtls-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps import mtls-lb-urlmap \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: mtls-lb-urlmap
defaultService: projects/demo-project/global/backendServices/mtls-lb-web-bs
headerAction:
  requestHeadersToAdd:
    - headerName: X-Client-Cert-Present
      headerValue: "{client_cert_present}"
      replace: true
    - headerName: X-Client-Cert-Chain-Verified
      headerValue: "{client_cert_chain_verified}"
      replace: true
    - headerName: X-Client-Cert-Uri-Sans
      headerValue: "{client_cert_uri_sans}"
      replace: true
description: "[serverless-lb:mtls-lb] URL map: routes hosts and paths to the backend services"
SERVERLESS_LB_YAML

# target HTTPS proxy mtls-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create mtls-lb-https-proxy \
    --url-map=mtls-lb-urlmap \
    --ssl-certificates=mtls-lb-cert \
    --ssl-policy=mtls-lb-ssl-policy \
    --server-tls-policy=projects/demo-project/locations/global/serverTlsPolicies/mtls-lb-mtls-policy \
    --quic-override=ENABLE \
    --global \
    --description='[serverless-lb:mtls-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# forwarding rule mtls-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create mtls-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=mtls-lb-ip \
    --target-https-proxy=mtls-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:mtls-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update mtls-lb-https-fr \
    --global \
    --update-labels=serverless-lb=mtls-lb \
    --project=demo-project

# DNS record set secure.example.com. (in zone example-com): A record for secure.example.com in zone example-com
ip_mtls_lb_ip="$(gcloud compute addresses describe mtls-lb-ip --global --project=demo-project --format='value(address)')"
gcloud dns record-sets create secure.example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --rrdatas="${ip_mtls_lb_ip}" \
    --project=demo-project

# Cloud Run service web (in europe-west1): restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing
gcloud run services update web \
    --region=europe-west1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service IAM web (in europe-west1): let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding web \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

echo 'Load balancer mtls-lb: all commands completed.'
