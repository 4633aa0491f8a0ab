#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "gae-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# address gae-lb-ip (global): external IP address of the load balancer
gcloud compute addresses create gae-lb-ip \
    --global \
    --ip-version=IPV4 \
    --description='[serverless-lb:gae-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update gae-lb-ip \
    --global \
    --update-labels=serverless-lb=gae-lb \
    --project=demo-project

# SSL certificate gae-lb-cert (global): Google-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create gae-lb-cert \
    --domains=www.example.com,admin.example.com \
    --global \
    --description='[serverless-lb:gae-lb] Google-managed certificate for the HTTPS proxy' \
    --project=demo-project

# network endpoint group gae-lb-gae-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend gae: App Engine default
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create gae-lb-gae-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --app-engine-service=default \
    --project=demo-project

# network endpoint group gae-lb-gae-admin-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend gae-admin: App Engine admin version v2
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create gae-lb-gae-admin-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --app-engine-service=admin \
    --app-engine-version=v2 \
    --project=demo-project

# backend service gae-lb-gae-bs (global): backend service for backend gae
gcloud compute backend-services create gae-lb-gae-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:gae-lb] backend service for backend gae' \
    --project=demo-project
gcloud compute backend-services add-backend gae-lb-gae-bs \
    --global \
    --network-endpoint-group=gae-lb-gae-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# backend service gae-lb-gae-admin-bs (global): backend service for backend gae-admin
gcloud compute backend-services create gae-lb-gae-admin-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:gae-lb] backend service for backend gae-admin' \
    --project=demo-project
gcloud compute backend-services add-backend gae-lb-gae-admin-bs \
    --global \
    --network-endpoint-group=gae-lb-gae-admin-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map gae-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create gae-lb-urlmap \
    --default-service=gae-lb-gae-bs \
    --global \
    --description='[serverless-lb:gae-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project
gcloud compute url-maps add-path-matcher gae-lb-urlmap \
    --path-matcher-name=hosts-1 \
    --default-service=gae-lb-gae-admin-bs \
    --new-hosts=admin.example.com \
    --global \
    --project=demo-project

# target HTTPS proxy gae-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create gae-lb-https-proxy \
    --url-map=gae-lb-urlmap \
    --ssl-certificates=gae-lb-cert \
    --global \
    --description='[serverless-lb:gae-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# forwarding rule gae-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create gae-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=gae-lb-ip \
    --target-https-proxy=gae-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:gae-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update gae-lb-https-fr \
    --global \
    --update-labels=serverless-lb=gae-lb \
    --project=demo-project

echo 'Load balancer gae-lb: all commands completed.'
