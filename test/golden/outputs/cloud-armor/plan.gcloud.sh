#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "armor-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# address armor-lb-ip (global): external IP address of the load balancer
gcloud compute addresses create armor-lb-ip \
    --global \
    --ip-version=IPV4 \
    --description='[serverless-lb:armor-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update armor-lb-ip \
    --global \
    --update-labels=serverless-lb=armor-lb \
    --project=demo-project

# SSL certificate armor-lb-cert (global): Google-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create armor-lb-cert \
    --domains=www.example.com,api.example.com \
    --global \
    --description='[serverless-lb:armor-lb] Google-managed certificate for the HTTPS proxy' \
    --project=demo-project

# security policy armor-lb-armor (global): Cloud Armor policy of the backend services
gcloud compute security-policies create armor-lb-armor \
    --type=CLOUD_ARMOR \
    --global \
    --description='[serverless-lb:armor-lb] Cloud Armor policy of the backend services' \
    --project=demo-project
# (gcloud sets no labels on security policies: the description carries the ownership mark)
gcloud compute security-policies rules create 100 \
    --security-policy=armor-lb-armor \
    --action=deny-403 \
    --src-ip-ranges=198.51.100.0/24 \
    --description='block a known bad range' \
    --project=demo-project
gcloud compute security-policies rules create 1000 \
    --security-policy=armor-lb-armor \
    --action=throttle \
    --src-ip-ranges='*' \
    --description='100 requests per minute per client IP' \
    --rate-limit-threshold-count=100 \
    --rate-limit-threshold-interval-sec=60 \
    --conform-action=allow \
    --exceed-action=deny-429 \
    --enforce-on-key=ip \
    --project=demo-project

# network endpoint group armor-lb-web-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend web: Cloud Run service web
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create armor-lb-web-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web \
    --project=demo-project

# network endpoint group armor-lb-api-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend api: Cloud Run service api
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create armor-lb-api-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=api \
    --project=demo-project

# backend service armor-lb-web-bs (global): backend service for backend web
gcloud compute backend-services create armor-lb-web-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:armor-lb] backend service for backend web' \
    --project=demo-project
gcloud compute backend-services add-backend armor-lb-web-bs \
    --global \
    --network-endpoint-group=armor-lb-web-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project
gcloud compute backend-services update armor-lb-web-bs \
    --global \
    --security-policy=armor-lb-armor \
    --project=demo-project

# backend service armor-lb-api-bs (global): backend service for backend api
gcloud compute backend-services create armor-lb-api-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:armor-lb] backend service for backend api' \
    --project=demo-project
gcloud compute backend-services add-backend armor-lb-api-bs \
    --global \
    --network-endpoint-group=armor-lb-api-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project
gcloud compute backend-services update armor-lb-api-bs \
    --global \
    --security-policy=armor-lb-armor \
    --project=demo-project

# URL map armor-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create armor-lb-urlmap \
    --default-service=armor-lb-web-bs \
    --global \
    --description='[serverless-lb:armor-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project
gcloud compute url-maps add-path-matcher armor-lb-urlmap \
    --path-matcher-name=hosts-1 \
    --default-service=armor-lb-api-bs \
    --new-hosts=api.example.com \
    --global \
    --project=demo-project

# URL map armor-lb-redirect-urlmap (global): URL map that redirects HTTP to HTTPS
gcloud compute url-maps import armor-lb-redirect-urlmap \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: armor-lb-redirect-urlmap
defaultUrlRedirect:
  httpsRedirect: true
  redirectResponseCode: MOVED_PERMANENTLY_DEFAULT
  stripQuery: false
description: "[serverless-lb:armor-lb] URL map that redirects HTTP to HTTPS"
SERVERLESS_LB_YAML

# target HTTPS proxy armor-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create armor-lb-https-proxy \
    --url-map=armor-lb-urlmap \
    --ssl-certificates=armor-lb-cert \
    --global \
    --description='[serverless-lb:armor-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# target HTTP proxy armor-lb-http-proxy (global): HTTP proxy that redirects to HTTPS
gcloud compute target-http-proxies create armor-lb-http-proxy \
    --url-map=armor-lb-redirect-urlmap \
    --global \
    --description='[serverless-lb:armor-lb] HTTP proxy that redirects to HTTPS' \
    --project=demo-project

# forwarding rule armor-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create armor-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=armor-lb-ip \
    --target-https-proxy=armor-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:armor-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update armor-lb-https-fr \
    --global \
    --update-labels=serverless-lb=armor-lb \
    --project=demo-project

# forwarding rule armor-lb-http-fr (global): HTTP (redirect) forwarding rule on port 80
gcloud compute forwarding-rules create armor-lb-http-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=armor-lb-ip \
    --target-http-proxy=armor-lb-http-proxy \
    --ports=80 \
    --description='[serverless-lb:armor-lb] HTTP (redirect) forwarding rule on port 80' \
    --project=demo-project
gcloud compute forwarding-rules update armor-lb-http-fr \
    --global \
    --update-labels=serverless-lb=armor-lb \
    --project=demo-project

# Cloud Run service web (in europe-west1): restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing
gcloud run services update web \
    --region=europe-west1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service api (in europe-west1): restrict ingress of Cloud Run service api in europe-west1 to internal traffic and Cloud Load Balancing
gcloud run services update api \
    --region=europe-west1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service IAM web (in europe-west1): let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding web \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

# Cloud Run service IAM api (in europe-west1): let allUsers invoke Cloud Run service api in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding api \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

echo 'Load balancer armor-lb: all commands completed.'
