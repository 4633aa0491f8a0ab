#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "xr-internal-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# Existing VPC network default (global): referenced, not created. (existing VPC network of the load balancer)

# subnetwork xr-internal-lb-proxy-only-europe-west1 (in europe-west1): proxy-only subnet (GLOBAL_MANAGED_PROXY) for the load balancer's proxies in europe-west1
gcloud compute networks subnets create xr-internal-lb-proxy-only-europe-west1 \
    --network=default \
    --region=europe-west1 \
    --range=10.130.0.0/23 \
    --purpose=GLOBAL_MANAGED_PROXY \
    --role=ACTIVE \
    --description='[serverless-lb:xr-internal-lb] proxy-only subnet (GLOBAL_MANAGED_PROXY) for the load balancer'\''s proxies in europe-west1' \
    --project=demo-project

# subnetwork xr-internal-lb-proxy-only-us-central1 (in us-central1): proxy-only subnet (GLOBAL_MANAGED_PROXY) for the load balancer's proxies in us-central1
gcloud compute networks subnets create xr-internal-lb-proxy-only-us-central1 \
    --network=default \
    --region=us-central1 \
    --range=10.131.0.0/23 \
    --purpose=GLOBAL_MANAGED_PROXY \
    --role=ACTIVE \
    --description='[serverless-lb:xr-internal-lb] proxy-only subnet (GLOBAL_MANAGED_PROXY) for the load balancer'\''s proxies in us-central1' \
    --project=demo-project

# Existing subnetwork default (in europe-west1): referenced, not created. (existing subnet the internal address in europe-west1 comes from)

# Existing subnetwork default (in us-central1): referenced, not created. (existing subnet the internal address in us-central1 comes from)

# address xr-internal-lb-ip-europe-west1 (in europe-west1): internal IP address of the load balancer in europe-west1
gcloud compute addresses create xr-internal-lb-ip-europe-west1 \
    --region=europe-west1 \
    --subnet=default \
    --description='[serverless-lb:xr-internal-lb] internal IP address of the load balancer in europe-west1' \
    --project=demo-project
gcloud beta compute addresses update xr-internal-lb-ip-europe-west1 \
    --region=europe-west1 \
    --update-labels=serverless-lb=xr-internal-lb \
    --project=demo-project

# address xr-internal-lb-ip-us-central1 (in us-central1): internal IP address of the load balancer in us-central1
gcloud compute addresses create xr-internal-lb-ip-us-central1 \
    --region=us-central1 \
    --subnet=default \
    --description='[serverless-lb:xr-internal-lb] internal IP address of the load balancer in us-central1' \
    --project=demo-project
gcloud beta compute addresses update xr-internal-lb-ip-us-central1 \
    --region=us-central1 \
    --update-labels=serverless-lb=xr-internal-lb \
    --project=demo-project

# network endpoint group xr-internal-lb-internal-api-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend internal-api: Cloud Run service internal-api
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create xr-internal-lb-internal-api-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=internal-api \
    --project=demo-project

# network endpoint group xr-internal-lb-internal-api-neg-us-central1 (in us-central1): serverless NEG in us-central1 for backend internal-api: Cloud Run service internal-api
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create xr-internal-lb-internal-api-neg-us-central1 \
    --region=us-central1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=internal-api \
    --project=demo-project

# backend service xr-internal-lb-internal-api-bs (global): backend service for backend internal-api
gcloud compute backend-services import xr-internal-lb-internal-api-bs \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: xr-internal-lb-internal-api-bs
loadBalancingScheme: INTERNAL_MANAGED
protocol: HTTP
backends:
  - group: projects/demo-project/regions/europe-west1/networkEndpointGroups/xr-internal-lb-internal-api-neg-europe-west1
  - group: projects/demo-project/regions/us-central1/networkEndpointGroups/xr-internal-lb-internal-api-neg-us-central1
logConfig:
  enable: true
  sampleRate: 1
outlierDetection:
  consecutiveErrors: 5
  baseEjectionTime:
    seconds: 30
description: "[serverless-lb:xr-internal-lb] backend service for backend internal-api"
SERVERLESS_LB_YAML

# URL map xr-internal-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create xr-internal-lb-urlmap \
    --default-service=xr-internal-lb-internal-api-bs \
    --global \
    --description='[serverless-lb:xr-internal-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project

# target HTTP proxy xr-internal-lb-http-proxy (global): HTTP proxy
gcloud compute target-http-proxies create xr-internal-lb-http-proxy \
    --url-map=xr-internal-lb-urlmap \
    --global \
    --description='[serverless-lb:xr-internal-lb] HTTP proxy' \
    --project=demo-project

# forwarding rule xr-internal-lb-http-fr-europe-west1 (global): HTTP forwarding rule on port 80 in europe-west1
gcloud compute forwarding-rules create xr-internal-lb-http-fr-europe-west1 \
    --global \
    --load-balancing-scheme=INTERNAL_MANAGED \
    --network=default \
    --subnet=default \
    --subnet-region=europe-west1 \
    --address=xr-internal-lb-ip-europe-west1 \
    --address-region=europe-west1 \
    --target-http-proxy=xr-internal-lb-http-proxy \
    --ports=80 \
    --description='[serverless-lb:xr-internal-lb] HTTP forwarding rule on port 80 in europe-west1' \
    --project=demo-project
gcloud compute forwarding-rules update xr-internal-lb-http-fr-europe-west1 \
    --global \
    --update-labels=serverless-lb=xr-internal-lb \
    --project=demo-project

# forwarding rule xr-internal-lb-http-fr-us-central1 (global): HTTP forwarding rule on port 80 in us-central1
gcloud compute forwarding-rules create xr-internal-lb-http-fr-us-central1 \
    --global \
    --load-balancing-scheme=INTERNAL_MANAGED \
    --network=default \
    --subnet=default \
    --subnet-region=us-central1 \
    --address=xr-internal-lb-ip-us-central1 \
    --address-region=us-central1 \
    --target-http-proxy=xr-internal-lb-http-proxy \
    --ports=80 \
    --description='[serverless-lb:xr-internal-lb] HTTP forwarding rule on port 80 in us-central1' \
    --project=demo-project
gcloud compute forwarding-rules update xr-internal-lb-http-fr-us-central1 \
    --global \
    --update-labels=serverless-lb=xr-internal-lb \
    --project=demo-project

# Cloud Run service internal-api (in europe-west1): restrict ingress of Cloud Run service internal-api in europe-west1 to internal traffic
gcloud run services update internal-api \
    --region=europe-west1 \
    --ingress=internal \
    --project=demo-project

# Cloud Run service internal-api (in us-central1): restrict ingress of Cloud Run service internal-api in us-central1 to internal traffic
gcloud run services update internal-api \
    --region=us-central1 \
    --ingress=internal \
    --project=demo-project

# Cloud Run service IAM internal-api (in europe-west1): let allUsers invoke Cloud Run service internal-api in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding internal-api \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

# Cloud Run service IAM internal-api (in us-central1): let allUsers invoke Cloud Run service internal-api in us-central1 (the load balancer's requests)
gcloud run services add-iam-policy-binding internal-api \
    --region=us-central1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

echo 'Load balancer xr-internal-lb: all commands completed.'
