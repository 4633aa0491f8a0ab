#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "global-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# address global-lb-ip (global): external IP address of the load balancer
gcloud compute addresses create global-lb-ip \
    --global \
    --ip-version=IPV4 \
    --description='[serverless-lb:global-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update global-lb-ip \
    --global \
    --update-labels=serverless-lb=global-lb \
    --project=demo-project

# SSL certificate global-lb-cert (global): Google-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create global-lb-cert \
    --domains=www.example.com,api.example.com \
    --global \
    --description='[serverless-lb:global-lb] Google-managed certificate for the HTTPS proxy' \
    --project=demo-project

# network endpoint group global-lb-web-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend web: Cloud Run service web
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create global-lb-web-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web \
    --project=demo-project

# network endpoint group global-lb-api-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend api: Cloud Run service api
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create global-lb-api-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=api \
    --project=demo-project

# backend service global-lb-web-bs (global): backend service for backend web
gcloud compute backend-services create global-lb-web-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:global-lb] backend service for backend web' \
    --project=demo-project
gcloud compute backend-services add-backend global-lb-web-bs \
    --global \
    --network-endpoint-group=global-lb-web-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# backend service global-lb-api-bs (global): backend service for backend api
gcloud compute backend-services create global-lb-api-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:global-lb] backend service for backend api' \
    --project=demo-project
gcloud compute backend-services add-backend global-lb-api-bs \
    --global \
    --network-endpoint-group=global-lb-api-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map global-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create global-lb-urlmap \
    --default-service=global-lb-web-bs \
    --global \
    --description='[serverless-lb:global-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project
gcloud compute url-maps add-path-matcher global-lb-urlmap \
    --path-matcher-name=hosts-1 \
    --default-service=global-lb-api-bs \
    --new-hosts=api.example.com \
    --global \
    --project=demo-project

# URL map global-lb-redirect-urlmap (global): URL map that redirects HTTP to HTTPS
gcloud compute url-maps import global-lb-redirect-urlmap \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: global-lb-redirect-urlmap
defaultUrlRedirect:
  httpsRedirect: true
  redirectResponseCode: MOVED_PERMANENTLY_DEFAULT
  stripQuery: false
description: "[serverless-lb:global-lb] URL map that redirects HTTP to HTTPS"
SERVERLESS_LB_YAML

# target HTTPS proxy global-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create global-lb-https-proxy \
    --url-map=global-lb-urlmap \
    --ssl-certificates=global-lb-cert \
    --global \
    --description='[serverless-lb:global-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# target HTTP proxy global-lb-http-proxy (global): HTTP proxy that redirects to HTTPS
gcloud compute target-http-proxies create global-lb-http-proxy \
    --url-map=global-lb-redirect-urlmap \
    --global \
    --description='[serverless-lb:global-lb] HTTP proxy that redirects to HTTPS' \
    --project=demo-project

# forwarding rule global-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create global-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=global-lb-ip \
    --target-https-proxy=global-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:global-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update global-lb-https-fr \
    --global \
    --update-labels=serverless-lb=global-lb \
    --project=demo-project

# forwarding rule global-lb-http-fr (global): HTTP (redirect) forwarding rule on port 80
gcloud compute forwarding-rules create global-lb-http-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=global-lb-ip \
    --target-http-proxy=global-lb-http-proxy \
    --ports=80 \
    --description='[serverless-lb:global-lb] HTTP (redirect) forwarding rule on port 80' \
    --project=demo-project
gcloud compute forwarding-rules update global-lb-http-fr \
    --global \
    --update-labels=serverless-lb=global-lb \
    --project=demo-project

# DNS record set www.example.com. (in zone example-com): A record for www.example.com in zone example-com
ip_global_lb_ip="$(gcloud compute addresses describe global-lb-ip --global --project=demo-project --format='value(address)')"
gcloud dns record-sets create www.example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --rrdatas="${ip_global_lb_ip}" \
    --project=demo-project

# DNS record set api.example.com. (in zone example-com): A record for api.example.com in zone example-com
gcloud dns record-sets create api.example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --rrdatas="${ip_global_lb_ip}" \
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

echo 'Load balancer global-lb: all commands completed.'
