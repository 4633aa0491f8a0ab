#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "canary-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# address canary-lb-ip (global): external IP address of the load balancer
gcloud compute addresses create canary-lb-ip \
    --global \
    --ip-version=IPV4 \
    --description='[serverless-lb:canary-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update canary-lb-ip \
    --global \
    --update-labels=serverless-lb=canary-lb \
    --project=demo-project

# SSL certificate canary-lb-cert (global): Google-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create canary-lb-cert \
    --domains=shop.example.com \
    --global \
    --description='[serverless-lb:canary-lb] Google-managed certificate for the HTTPS proxy' \
    --project=demo-project

# network endpoint group canary-lb-web-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend web: Cloud Run service web
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create canary-lb-web-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web \
    --project=demo-project

# network endpoint group canary-lb-canary-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend canary: Cloud Run service web-canary
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create canary-lb-canary-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web-canary \
    --project=demo-project

# backend service canary-lb-web-bs (global): backend service for backend web
gcloud compute backend-services create canary-lb-web-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:canary-lb] backend service for backend web' \
    --project=demo-project
gcloud compute backend-services add-backend canary-lb-web-bs \
    --global \
    --network-endpoint-group=canary-lb-web-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# backend service canary-lb-canary-bs (global): backend service for backend canary
gcloud compute backend-services create canary-lb-canary-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:canary-lb] backend service for backend canary' \
    --project=demo-project
gcloud compute backend-services add-backend canary-lb-canary-bs \
    --global \
    --network-endpoint-group=canary-lb-canary-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map canary-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps import canary-lb-urlmap \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: canary-lb-urlmap
defaultService: projects/demo-project/global/backendServices/canary-lb-web-bs
hostRules:
  - hosts:
      - "*"
    pathMatcher: hosts-1
pathMatchers:
  - name: hosts-1
    defaultService: projects/demo-project/global/backendServices/canary-lb-web-bs
    routeRules:
      - priority: 10
        matchRules:
          - prefixMatch: /
            headerMatches:
              - headerName: x-canary
                exactMatch: always
        service: projects/demo-project/global/backendServices/canary-lb-canary-bs
        headerAction:
          responseHeadersToAdd:
            - headerName: X-Served-By
              headerValue: canary
              replace: true
      - priority: 20
        matchRules:
          - prefixMatch: /
        routeAction:
          weightedBackendServices:
            - backendService: projects/demo-project/global/backendServices/canary-lb-web-bs
              weight: 90
            - backendService: projects/demo-project/global/backendServices/canary-lb-canary-bs
              weight: 10
description: "[serverless-lb:canary-lb] URL map: routes hosts and paths to the backend services"
SERVERLESS_LB_YAML

# target HTTPS proxy canary-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create canary-lb-https-proxy \
    --url-map=canary-lb-urlmap \
    --ssl-certificates=canary-lb-cert \
    --global \
    --description='[serverless-lb:canary-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# forwarding rule canary-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create canary-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=canary-lb-ip \
    --target-https-proxy=canary-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:canary-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update canary-lb-https-fr \
    --global \
    --update-labels=serverless-lb=canary-lb \
    --project=demo-project

# DNS record set shop.example.com. (in zone example-com): A record for shop.example.com in zone example-com
ip_canary_lb_ip="$(gcloud compute addresses describe canary-lb-ip --global --project=demo-project --format='value(address)')"
gcloud dns record-sets create shop.example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --rrdatas="${ip_canary_lb_ip}" \
    --project=demo-project

# Cloud Run service web (in europe-west1): restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing
gcloud run services update web \
    --region=europe-west1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service web-canary (in europe-west1): restrict ingress of Cloud Run service web-canary in europe-west1 to internal traffic and Cloud Load Balancing
gcloud run services update web-canary \
    --region=europe-west1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service IAM web (in europe-west1): let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding web \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

# Cloud Run service IAM web-canary (in europe-west1): let allUsers invoke Cloud Run service web-canary in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding web-canary \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

echo 'Load balancer canary-lb: all commands completed.'
