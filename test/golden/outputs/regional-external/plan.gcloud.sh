#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "regional-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# Existing VPC network default (global): referenced, not created. (existing VPC network of the load balancer)

# Existing subnetwork proxy-only-europe-west1 (in europe-west1): referenced, not created. (existing proxy-only subnet (REGIONAL_MANAGED_PROXY) in europe-west1)

# address regional-lb-ip (in europe-west1): external IP address of the load balancer in europe-west1
gcloud compute addresses create regional-lb-ip \
    --region=europe-west1 \
    --network-tier=PREMIUM \
    --description='[serverless-lb:regional-lb] external IP address of the load balancer in europe-west1' \
    --project=demo-project
gcloud beta compute addresses update regional-lb-ip \
    --region=europe-west1 \
    --update-labels=serverless-lb=regional-lb \
    --project=demo-project

# SSL certificate regional-lb-cert (in europe-west1): self-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create regional-lb-cert \
    --certificate=<repo>/docs/examples/certs/example.com.crt \
    --private-key=<repo>/docs/examples/certs/example.com.key \
    --region=europe-west1 \
    --description='[serverless-lb:regional-lb] self-managed certificate for the HTTPS proxy' \
    --project=demo-project

# network endpoint group regional-lb-web-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend web: Cloud Run service web
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create regional-lb-web-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web \
    --project=demo-project

# backend service regional-lb-web-bs (in europe-west1): backend service for backend web
gcloud compute backend-services create regional-lb-web-bs \
    --region=europe-west1 \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:regional-lb] backend service for backend web' \
    --project=demo-project
gcloud compute backend-services add-backend regional-lb-web-bs \
    --region=europe-west1 \
    --network-endpoint-group=regional-lb-web-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map regional-lb-urlmap (in europe-west1): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create regional-lb-urlmap \
    --default-service=regional-lb-web-bs \
    --region=europe-west1 \
    --description='[serverless-lb:regional-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project

# target HTTPS proxy regional-lb-https-proxy (in europe-west1): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create regional-lb-https-proxy \
    --url-map=regional-lb-urlmap \
    --ssl-certificates=regional-lb-cert \
    --region=europe-west1 \
    --description='[serverless-lb:regional-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# forwarding rule regional-lb-https-fr (in europe-west1): HTTPS forwarding rule on port 443 in europe-west1
gcloud compute forwarding-rules create regional-lb-https-fr \
    --region=europe-west1 \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --network=default \
    --address=regional-lb-ip \
    --target-https-proxy=regional-lb-https-proxy \
    --target-https-proxy-region=europe-west1 \
    --ports=443 \
    --description='[serverless-lb:regional-lb] HTTPS forwarding rule on port 443 in europe-west1' \
    --project=demo-project
gcloud compute forwarding-rules update regional-lb-https-fr \
    --region=europe-west1 \
    --update-labels=serverless-lb=regional-lb \
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

echo 'Load balancer regional-lb: all commands completed.'
