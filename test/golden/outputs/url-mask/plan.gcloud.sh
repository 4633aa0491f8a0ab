#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "mask-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# address mask-lb-ip (global): external IP address of the load balancer
gcloud compute addresses create mask-lb-ip \
    --global \
    --ip-version=IPV4 \
    --description='[serverless-lb:mask-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update mask-lb-ip \
    --global \
    --update-labels=serverless-lb=mask-lb \
    --project=demo-project

# SSL certificate mask-lb-cert (global): Google-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create mask-lb-cert \
    --domains=web.example.com,api.example.com,static.example.com \
    --global \
    --description='[serverless-lb:mask-lb] Google-managed certificate for the HTTPS proxy' \
    --project=demo-project

# network endpoint group mask-lb-services-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend services: URL mask <service>.example.com
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create mask-lb-services-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-url-mask='<service>.example.com' \
    --project=demo-project

# backend service mask-lb-services-bs (global): backend service for backend services
gcloud compute backend-services create mask-lb-services-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:mask-lb] backend service for backend services' \
    --project=demo-project
gcloud compute backend-services add-backend mask-lb-services-bs \
    --global \
    --network-endpoint-group=mask-lb-services-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map mask-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create mask-lb-urlmap \
    --default-service=mask-lb-services-bs \
    --global \
    --description='[serverless-lb:mask-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project

# URL map mask-lb-redirect-urlmap (global): URL map that redirects HTTP to HTTPS
gcloud compute url-maps import mask-lb-redirect-urlmap \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: mask-lb-redirect-urlmap
defaultUrlRedirect:
  httpsRedirect: true
  redirectResponseCode: MOVED_PERMANENTLY_DEFAULT
  stripQuery: false
description: "[serverless-lb:mask-lb] URL map that redirects HTTP to HTTPS"
SERVERLESS_LB_YAML

# target HTTPS proxy mask-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create mask-lb-https-proxy \
    --url-map=mask-lb-urlmap \
    --ssl-certificates=mask-lb-cert \
    --global \
    --description='[serverless-lb:mask-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# target HTTP proxy mask-lb-http-proxy (global): HTTP proxy that redirects to HTTPS
gcloud compute target-http-proxies create mask-lb-http-proxy \
    --url-map=mask-lb-redirect-urlmap \
    --global \
    --description='[serverless-lb:mask-lb] HTTP proxy that redirects to HTTPS' \
    --project=demo-project

# forwarding rule mask-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create mask-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=mask-lb-ip \
    --target-https-proxy=mask-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:mask-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update mask-lb-https-fr \
    --global \
    --update-labels=serverless-lb=mask-lb \
    --project=demo-project

# forwarding rule mask-lb-http-fr (global): HTTP (redirect) forwarding rule on port 80
gcloud compute forwarding-rules create mask-lb-http-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=mask-lb-ip \
    --target-http-proxy=mask-lb-http-proxy \
    --ports=80 \
    --description='[serverless-lb:mask-lb] HTTP (redirect) forwarding rule on port 80' \
    --project=demo-project
gcloud compute forwarding-rules update mask-lb-http-fr \
    --global \
    --update-labels=serverless-lb=mask-lb \
    --project=demo-project

echo 'Load balancer mask-lb: all commands completed.'
