#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "classic-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# Existing address reserved-ip (global): referenced, not created. (existing reserved IP address of the load balancer)

# SSL certificate classic-lb-cert (global): Google-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create classic-lb-cert \
    --domains=classic.example.com \
    --global \
    --description='[serverless-lb:classic-lb] Google-managed certificate for the HTTPS proxy' \
    --project=demo-project

# network endpoint group classic-lb-web-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend web: Cloud Run service web
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create classic-lb-web-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web \
    --project=demo-project

# backend service classic-lb-web-bs (global): backend service for backend web
gcloud compute backend-services create classic-lb-web-bs \
    --global \
    --load-balancing-scheme=EXTERNAL \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:classic-lb] backend service for backend web' \
    --project=demo-project
gcloud compute backend-services add-backend classic-lb-web-bs \
    --global \
    --network-endpoint-group=classic-lb-web-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map classic-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create classic-lb-urlmap \
    --default-service=classic-lb-web-bs \
    --global \
    --description='[serverless-lb:classic-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project

# target HTTPS proxy classic-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create classic-lb-https-proxy \
    --url-map=classic-lb-urlmap \
    --ssl-certificates=classic-lb-cert \
    --global \
    --description='[serverless-lb:classic-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# forwarding rule classic-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create classic-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL \
    --network-tier=PREMIUM \
    --address=reserved-ip \
    --target-https-proxy=classic-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:classic-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update classic-lb-https-fr \
    --global \
    --update-labels=serverless-lb=classic-lb \
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

echo 'Load balancer classic-lb: all commands completed.'
