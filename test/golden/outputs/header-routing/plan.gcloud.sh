#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "routing-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# Existing VPC network default (global): referenced, not created. (existing VPC network of the load balancer)

# Existing subnetwork proxy-only-europe-west1 (in europe-west1): referenced, not created. (existing proxy-only subnet (REGIONAL_MANAGED_PROXY) in europe-west1)

# Existing subnetwork default (in europe-west1): referenced, not created. (existing subnet the internal address in europe-west1 comes from)

# address routing-lb-ip (in europe-west1): internal IP address of the load balancer in europe-west1
gcloud compute addresses create routing-lb-ip \
    --region=europe-west1 \
    --subnet=default \
    --description='[serverless-lb:routing-lb] internal IP address of the load balancer in europe-west1' \
    --project=demo-project
gcloud beta compute addresses update routing-lb-ip \
    --region=europe-west1 \
    --update-labels=serverless-lb=routing-lb \
    --project=demo-project

# network endpoint group routing-lb-v1-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend v1: Cloud Run service internal-api
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create routing-lb-v1-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=internal-api \
    --project=demo-project

# network endpoint group routing-lb-v2-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend v2: Cloud Run service internal-api-v2
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create routing-lb-v2-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=internal-api-v2 \
    --project=demo-project

# backend service routing-lb-v1-bs (in europe-west1): backend service for backend v1
gcloud compute backend-services create routing-lb-v1-bs \
    --region=europe-west1 \
    --load-balancing-scheme=INTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:routing-lb] backend service for backend v1' \
    --project=demo-project
gcloud compute backend-services add-backend routing-lb-v1-bs \
    --region=europe-west1 \
    --network-endpoint-group=routing-lb-v1-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# backend service routing-lb-v2-bs (in europe-west1): backend service for backend v2
gcloud compute backend-services create routing-lb-v2-bs \
    --region=europe-west1 \
    --load-balancing-scheme=INTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:routing-lb] backend service for backend v2' \
    --project=demo-project
gcloud compute backend-services add-backend routing-lb-v2-bs \
    --region=europe-west1 \
    --network-endpoint-group=routing-lb-v2-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map routing-lb-urlmap (in europe-west1): URL map: routes hosts and paths to the backend services
gcloud compute url-maps import routing-lb-urlmap \
    --region=europe-west1 \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: routing-lb-urlmap
defaultService: projects/demo-project/regions/europe-west1/backendServices/routing-lb-v1-bs
hostRules:
  - hosts:
      - "*"
    pathMatcher: hosts-1
pathMatchers:
  - name: hosts-1
    defaultService: projects/demo-project/regions/europe-west1/backendServices/routing-lb-v1-bs
    routeRules:
      - priority: 10
        matchRules:
          - prefixMatch: /v2/
            headerMatches:
              - headerName: x-api-version
                exactMatch: "2"
        service: projects/demo-project/regions/europe-west1/backendServices/routing-lb-v2-bs
        routeAction:
          urlRewrite:
            pathPrefixRewrite: /
          timeout:
            seconds: 10
          corsPolicy:
            allowOrigins:
              - https://portal.example.com
            allowMethods:
              - GET
              - POST
            maxAge: 600
        headerAction:
          requestHeadersToAdd:
            - headerName: X-Routed-By
              headerValue: routing-lb
              replace: true
      - priority: 20
        matchRules:
          - prefixMatch: /
        service: projects/demo-project/regions/europe-west1/backendServices/routing-lb-v1-bs
description: "[serverless-lb:routing-lb] URL map: routes hosts and paths to the backend services"
SERVERLESS_LB_YAML

# target HTTP proxy routing-lb-http-proxy (in europe-west1): HTTP proxy
gcloud compute target-http-proxies create routing-lb-http-proxy \
    --url-map=routing-lb-urlmap \
    --region=europe-west1 \
    --description='[serverless-lb:routing-lb] HTTP proxy' \
    --project=demo-project

# forwarding rule routing-lb-http-fr (in europe-west1): HTTP forwarding rule on port 80 in europe-west1
gcloud compute forwarding-rules create routing-lb-http-fr \
    --region=europe-west1 \
    --load-balancing-scheme=INTERNAL_MANAGED \
    --network=default \
    --subnet=default \
    --address=routing-lb-ip \
    --target-http-proxy=routing-lb-http-proxy \
    --target-http-proxy-region=europe-west1 \
    --ports=80 \
    --description='[serverless-lb:routing-lb] HTTP forwarding rule on port 80 in europe-west1' \
    --project=demo-project
gcloud compute forwarding-rules update routing-lb-http-fr \
    --region=europe-west1 \
    --update-labels=serverless-lb=routing-lb \
    --project=demo-project

# Cloud Run service internal-api (in europe-west1): restrict ingress of Cloud Run service internal-api in europe-west1 to internal traffic
gcloud run services update internal-api \
    --region=europe-west1 \
    --ingress=internal \
    --project=demo-project

# Cloud Run service internal-api-v2 (in europe-west1): restrict ingress of Cloud Run service internal-api-v2 in europe-west1 to internal traffic
gcloud run services update internal-api-v2 \
    --region=europe-west1 \
    --ingress=internal \
    --project=demo-project

# Cloud Run service IAM internal-api (in europe-west1): let allUsers invoke Cloud Run service internal-api in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding internal-api \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

# Cloud Run service IAM internal-api-v2 (in europe-west1): let allUsers invoke Cloud Run service internal-api-v2 in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding internal-api-v2 \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

echo 'Load balancer routing-lb: all commands completed.'
