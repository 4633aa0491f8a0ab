#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "multi-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# address multi-lb-ip (global): external IP address of the load balancer
gcloud compute addresses create multi-lb-ip \
    --global \
    --ip-version=IPV4 \
    --description='[serverless-lb:multi-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update multi-lb-ip \
    --global \
    --update-labels=serverless-lb=multi-lb \
    --project=demo-project

# SSL certificate multi-lb-cert (global): Google-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create multi-lb-cert \
    --domains=example.com,www.example.com,api.example.com,canary.example.com \
    --global \
    --description='[serverless-lb:multi-lb] Google-managed certificate for the HTTPS proxy' \
    --project=demo-project

# network endpoint group multi-lb-web-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend web: Cloud Run service web
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create multi-lb-web-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web \
    --project=demo-project

# network endpoint group multi-lb-web-neg-us-central1 (in us-central1): serverless NEG in us-central1 for backend web: Cloud Run service web
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create multi-lb-web-neg-us-central1 \
    --region=us-central1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web \
    --project=demo-project

# network endpoint group multi-lb-web-neg-asia-northeast1 (in asia-northeast1): serverless NEG in asia-northeast1 for backend web: Cloud Run service web
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create multi-lb-web-neg-asia-northeast1 \
    --region=asia-northeast1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web \
    --project=demo-project

# network endpoint group multi-lb-api-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend api: Cloud Run service api
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create multi-lb-api-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=api \
    --project=demo-project

# network endpoint group multi-lb-api-neg-us-central1 (in us-central1): serverless NEG in us-central1 for backend api: Cloud Run service api
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create multi-lb-api-neg-us-central1 \
    --region=us-central1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=api \
    --project=demo-project

# network endpoint group multi-lb-canary-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend canary: Cloud Run service web (tag canary)
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create multi-lb-canary-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web \
    --cloud-run-tag=canary \
    --project=demo-project

# network endpoint group multi-lb-static-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend static: Cloud Run service static
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create multi-lb-static-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=static \
    --project=demo-project

# network endpoint group multi-lb-admin-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend admin: Cloud Run service admin
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create multi-lb-admin-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=admin \
    --project=demo-project

# backend service multi-lb-web-bs (global): backend service for backend web
gcloud compute backend-services import multi-lb-web-bs \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: multi-lb-web-bs
loadBalancingScheme: EXTERNAL_MANAGED
protocol: HTTP
backends:
  - group: projects/demo-project/regions/europe-west1/networkEndpointGroups/multi-lb-web-neg-europe-west1
  - group: projects/demo-project/regions/us-central1/networkEndpointGroups/multi-lb-web-neg-us-central1
  - group: projects/demo-project/regions/asia-northeast1/networkEndpointGroups/multi-lb-web-neg-asia-northeast1
enableCDN: false
logConfig:
  enable: true
  sampleRate: 0.5
outlierDetection:
  consecutiveErrors: 5
  interval:
    seconds: 10
  baseEjectionTime:
    seconds: 30
  maxEjectionPercent: 50
description: "[serverless-lb:multi-lb] backend service for backend web"
SERVERLESS_LB_YAML

# backend service multi-lb-api-bs (global): backend service for backend api
gcloud compute backend-services import multi-lb-api-bs \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: multi-lb-api-bs
loadBalancingScheme: EXTERNAL_MANAGED
protocol: HTTP
backends:
  - group: projects/demo-project/regions/europe-west1/networkEndpointGroups/multi-lb-api-neg-europe-west1
  - group: projects/demo-project/regions/us-central1/networkEndpointGroups/multi-lb-api-neg-us-central1
enableCDN: false
logConfig:
  enable: true
  sampleRate: 0.5
outlierDetection:
  consecutiveErrors: 5
  interval:
    seconds: 10
  baseEjectionTime:
    seconds: 30
  maxEjectionPercent: 50
description: "[serverless-lb:multi-lb] backend service for backend api"
SERVERLESS_LB_YAML

# backend service multi-lb-canary-bs (global): backend service for backend canary
gcloud compute backend-services import multi-lb-canary-bs \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: multi-lb-canary-bs
loadBalancingScheme: EXTERNAL_MANAGED
protocol: HTTP
backends:
  - group: projects/demo-project/regions/europe-west1/networkEndpointGroups/multi-lb-canary-neg-europe-west1
enableCDN: false
logConfig:
  enable: true
  sampleRate: 0.5
outlierDetection:
  consecutiveErrors: 5
  interval:
    seconds: 10
  baseEjectionTime:
    seconds: 30
  maxEjectionPercent: 50
description: "[serverless-lb:multi-lb] backend service for backend canary"
SERVERLESS_LB_YAML

# backend service multi-lb-static-bs (global): backend service for backend static
gcloud compute backend-services import multi-lb-static-bs \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: multi-lb-static-bs
loadBalancingScheme: EXTERNAL_MANAGED
protocol: HTTP
backends:
  - group: projects/demo-project/regions/europe-west1/networkEndpointGroups/multi-lb-static-neg-europe-west1
enableCDN: true
cdnPolicy:
  cacheMode: CACHE_ALL_STATIC
logConfig:
  enable: true
  sampleRate: 0.5
outlierDetection:
  consecutiveErrors: 5
  interval:
    seconds: 10
  baseEjectionTime:
    seconds: 30
  maxEjectionPercent: 50
description: "[serverless-lb:multi-lb] backend service for backend static"
SERVERLESS_LB_YAML

# backend service multi-lb-admin-bs (global): backend service for backend admin
gcloud compute backend-services import multi-lb-admin-bs \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: multi-lb-admin-bs
loadBalancingScheme: EXTERNAL_MANAGED
protocol: HTTP
backends:
  - group: projects/demo-project/regions/europe-west1/networkEndpointGroups/multi-lb-admin-neg-europe-west1
enableCDN: false
logConfig:
  enable: true
  sampleRate: 0.5
outlierDetection:
  consecutiveErrors: 5
  interval:
    seconds: 10
  baseEjectionTime:
    seconds: 30
  maxEjectionPercent: 50
description: "[serverless-lb:multi-lb] backend service for backend admin"
SERVERLESS_LB_YAML

# URL map multi-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create multi-lb-urlmap \
    --default-service=multi-lb-web-bs \
    --global \
    --description='[serverless-lb:multi-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project
gcloud compute url-maps add-path-matcher multi-lb-urlmap \
    --path-matcher-name=hosts-1 \
    --default-service=multi-lb-web-bs \
    --new-hosts=example.com,www.example.com \
    --path-rules='/static=multi-lb-static-bs,/static/*=multi-lb-static-bs,/admin=multi-lb-admin-bs,/admin/*=multi-lb-admin-bs' \
    --global \
    --project=demo-project
gcloud compute url-maps add-path-matcher multi-lb-urlmap \
    --path-matcher-name=hosts-2 \
    --default-service=multi-lb-api-bs \
    --new-hosts=api.example.com \
    --global \
    --project=demo-project
gcloud compute url-maps add-path-matcher multi-lb-urlmap \
    --path-matcher-name=hosts-3 \
    --default-service=multi-lb-canary-bs \
    --new-hosts=canary.example.com \
    --global \
    --project=demo-project

# URL map multi-lb-redirect-urlmap (global): URL map that redirects HTTP to HTTPS
gcloud compute url-maps import multi-lb-redirect-urlmap \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: multi-lb-redirect-urlmap
defaultUrlRedirect:
  httpsRedirect: true
  redirectResponseCode: MOVED_PERMANENTLY_DEFAULT
  stripQuery: false
description: "[serverless-lb:multi-lb] URL map that redirects HTTP to HTTPS"
SERVERLESS_LB_YAML

# target HTTPS proxy multi-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create multi-lb-https-proxy \
    --url-map=multi-lb-urlmap \
    --ssl-certificates=multi-lb-cert \
    --http-keep-alive-timeout-sec=610 \
    --global \
    --description='[serverless-lb:multi-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# target HTTP proxy multi-lb-http-proxy (global): HTTP proxy that redirects to HTTPS
gcloud compute target-http-proxies create multi-lb-http-proxy \
    --url-map=multi-lb-redirect-urlmap \
    --http-keep-alive-timeout-sec=610 \
    --global \
    --description='[serverless-lb:multi-lb] HTTP proxy that redirects to HTTPS' \
    --project=demo-project

# forwarding rule multi-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create multi-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=multi-lb-ip \
    --target-https-proxy=multi-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:multi-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update multi-lb-https-fr \
    --global \
    --update-labels=serverless-lb=multi-lb \
    --project=demo-project

# forwarding rule multi-lb-http-fr (global): HTTP (redirect) forwarding rule on port 80
gcloud compute forwarding-rules create multi-lb-http-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=multi-lb-ip \
    --target-http-proxy=multi-lb-http-proxy \
    --ports=80 \
    --description='[serverless-lb:multi-lb] HTTP (redirect) forwarding rule on port 80' \
    --project=demo-project
gcloud compute forwarding-rules update multi-lb-http-fr \
    --global \
    --update-labels=serverless-lb=multi-lb \
    --project=demo-project

# DNS record set example.com. (in zone example-com): A record for example.com in zone example-com
ip_multi_lb_ip="$(gcloud compute addresses describe multi-lb-ip --global --project=demo-project --format='value(address)')"
gcloud dns record-sets create example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --rrdatas="${ip_multi_lb_ip}" \
    --project=demo-project

# DNS record set www.example.com. (in zone example-com): A record for www.example.com in zone example-com
gcloud dns record-sets create www.example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --rrdatas="${ip_multi_lb_ip}" \
    --project=demo-project

# DNS record set api.example.com. (in zone example-com): A record for api.example.com in zone example-com
gcloud dns record-sets create api.example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --rrdatas="${ip_multi_lb_ip}" \
    --project=demo-project

# DNS record set canary.example.com. (in zone example-com): A record for canary.example.com in zone example-com
gcloud dns record-sets create canary.example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --rrdatas="${ip_multi_lb_ip}" \
    --project=demo-project

# Cloud Run service web (in europe-west1): restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing
gcloud run services update web \
    --region=europe-west1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service web (in us-central1): restrict ingress of Cloud Run service web in us-central1 to internal traffic and Cloud Load Balancing
gcloud run services update web \
    --region=us-central1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service web (in asia-northeast1): restrict ingress of Cloud Run service web in asia-northeast1 to internal traffic and Cloud Load Balancing
gcloud run services update web \
    --region=asia-northeast1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service api (in europe-west1): restrict ingress of Cloud Run service api in europe-west1 to internal traffic and Cloud Load Balancing
gcloud run services update api \
    --region=europe-west1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service api (in us-central1): restrict ingress of Cloud Run service api in us-central1 to internal traffic and Cloud Load Balancing
gcloud run services update api \
    --region=us-central1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service static (in europe-west1): restrict ingress of Cloud Run service static in europe-west1 to internal traffic and Cloud Load Balancing
gcloud run services update static \
    --region=europe-west1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service admin (in europe-west1): restrict ingress of Cloud Run service admin in europe-west1 to internal traffic and Cloud Load Balancing
gcloud run services update admin \
    --region=europe-west1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service IAM web (in europe-west1): let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding web \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

# Cloud Run service IAM web (in us-central1): let allUsers invoke Cloud Run service web in us-central1 (the load balancer's requests)
gcloud run services add-iam-policy-binding web \
    --region=us-central1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

# Cloud Run service IAM web (in asia-northeast1): let allUsers invoke Cloud Run service web in asia-northeast1 (the load balancer's requests)
gcloud run services add-iam-policy-binding web \
    --region=asia-northeast1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

# Cloud Run service IAM api (in europe-west1): let allUsers invoke Cloud Run service api in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding api \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

# Cloud Run service IAM api (in us-central1): let allUsers invoke Cloud Run service api in us-central1 (the load balancer's requests)
gcloud run services add-iam-policy-binding api \
    --region=us-central1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

# Cloud Run service IAM static (in europe-west1): let allUsers invoke Cloud Run service static in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding static \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

# Cloud Run service IAM admin (in europe-west1): let allUsers invoke Cloud Run service admin in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding admin \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

echo 'Load balancer multi-lb: all commands completed.'
