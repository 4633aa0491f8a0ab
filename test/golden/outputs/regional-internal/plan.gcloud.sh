#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "internal-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# Existing VPC network default (global): referenced, not created. (existing VPC network of the load balancer)

# Existing subnetwork proxy-only-europe-west1 (in europe-west1): referenced, not created. (existing proxy-only subnet (REGIONAL_MANAGED_PROXY) in europe-west1)

# Existing subnetwork default (in europe-west1): referenced, not created. (existing subnet the internal address in europe-west1 comes from)

# address internal-lb-ip (in europe-west1): internal IP address of the load balancer in europe-west1
gcloud compute addresses create internal-lb-ip \
    --region=europe-west1 \
    --subnet=default \
    --description='[serverless-lb:internal-lb] internal IP address of the load balancer in europe-west1' \
    --project=demo-project
gcloud beta compute addresses update internal-lb-ip \
    --region=europe-west1 \
    --update-labels=serverless-lb=internal-lb \
    --project=demo-project

# network endpoint group internal-lb-internal-api-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend internal-api: Cloud Run service internal-api
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create internal-lb-internal-api-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=internal-api \
    --project=demo-project

# backend service internal-lb-internal-api-bs (in europe-west1): backend service for backend internal-api
gcloud compute backend-services create internal-lb-internal-api-bs \
    --region=europe-west1 \
    --load-balancing-scheme=INTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:internal-lb] backend service for backend internal-api' \
    --project=demo-project
gcloud compute backend-services add-backend internal-lb-internal-api-bs \
    --region=europe-west1 \
    --network-endpoint-group=internal-lb-internal-api-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map internal-lb-urlmap (in europe-west1): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create internal-lb-urlmap \
    --default-service=internal-lb-internal-api-bs \
    --region=europe-west1 \
    --description='[serverless-lb:internal-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project

# target HTTP proxy internal-lb-http-proxy (in europe-west1): HTTP proxy
gcloud compute target-http-proxies create internal-lb-http-proxy \
    --url-map=internal-lb-urlmap \
    --region=europe-west1 \
    --description='[serverless-lb:internal-lb] HTTP proxy' \
    --project=demo-project

# forwarding rule internal-lb-http-fr (in europe-west1): HTTP forwarding rule on port 80 in europe-west1
gcloud compute forwarding-rules create internal-lb-http-fr \
    --region=europe-west1 \
    --load-balancing-scheme=INTERNAL_MANAGED \
    --network=default \
    --subnet=default \
    --address=internal-lb-ip \
    --target-http-proxy=internal-lb-http-proxy \
    --target-http-proxy-region=europe-west1 \
    --ports=80 \
    --description='[serverless-lb:internal-lb] HTTP forwarding rule on port 80 in europe-west1' \
    --project=demo-project
gcloud compute forwarding-rules update internal-lb-http-fr \
    --region=europe-west1 \
    --update-labels=serverless-lb=internal-lb \
    --project=demo-project

# Cloud Run service internal-api (in europe-west1): restrict ingress of Cloud Run service internal-api in europe-west1 to internal traffic
gcloud run services update internal-api \
    --region=europe-west1 \
    --ingress=internal \
    --project=demo-project

# Cloud Run service IAM internal-api (in europe-west1): let allUsers invoke Cloud Run service internal-api in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding internal-api \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

echo 'Load balancer internal-lb: all commands completed.'
