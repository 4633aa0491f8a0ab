#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "gw-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# address gw-lb-ip (global): external IP address of the load balancer
gcloud compute addresses create gw-lb-ip \
    --global \
    --ip-version=IPV4 \
    --description='[serverless-lb:gw-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update gw-lb-ip \
    --global \
    --update-labels=serverless-lb=gw-lb \
    --project=demo-project

# SSL certificate gw-lb-cert (global): Google-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create gw-lb-cert \
    --domains=gateway.example.com \
    --global \
    --description='[serverless-lb:gw-lb] Google-managed certificate for the HTTPS proxy' \
    --project=demo-project

# network endpoint group gw-lb-gateway-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend gateway: API Gateway demo-gateway
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud beta compute network-endpoint-groups create gw-lb-gateway-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --serverless-deployment-platform=apigateway.googleapis.com \
    --serverless-deployment-resource=demo-gateway \
    --project=demo-project

# backend service gw-lb-gateway-bs (global): backend service for backend gateway
gcloud compute backend-services create gw-lb-gateway-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:gw-lb] backend service for backend gateway' \
    --project=demo-project
gcloud compute backend-services add-backend gw-lb-gateway-bs \
    --global \
    --network-endpoint-group=gw-lb-gateway-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map gw-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create gw-lb-urlmap \
    --default-service=gw-lb-gateway-bs \
    --global \
    --description='[serverless-lb:gw-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project

# target HTTPS proxy gw-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create gw-lb-https-proxy \
    --url-map=gw-lb-urlmap \
    --ssl-certificates=gw-lb-cert \
    --global \
    --description='[serverless-lb:gw-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# forwarding rule gw-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create gw-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=gw-lb-ip \
    --target-https-proxy=gw-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:gw-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update gw-lb-https-fr \
    --global \
    --update-labels=serverless-lb=gw-lb \
    --project=demo-project

echo 'Load balancer gw-lb: all commands completed.'
