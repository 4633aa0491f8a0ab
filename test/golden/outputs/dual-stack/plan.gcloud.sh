#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "dual-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# address dual-lb-ip (global): external IP address of the load balancer
gcloud compute addresses create dual-lb-ip \
    --global \
    --ip-version=IPV4 \
    --description='[serverless-lb:dual-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update dual-lb-ip \
    --global \
    --update-labels=serverless-lb=dual-lb \
    --project=demo-project

# address dual-lb-ip-ipv6 (global): external IP address of the load balancer
gcloud compute addresses create dual-lb-ip-ipv6 \
    --global \
    --ip-version=IPV6 \
    --description='[serverless-lb:dual-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update dual-lb-ip-ipv6 \
    --global \
    --update-labels=serverless-lb=dual-lb \
    --project=demo-project

# SSL certificate dual-lb-cert (global): Google-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create dual-lb-cert \
    --domains=www.example.com \
    --global \
    --description='[serverless-lb:dual-lb] Google-managed certificate for the HTTPS proxy' \
    --project=demo-project

# network endpoint group dual-lb-static-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend static: Cloud Run service static
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create dual-lb-static-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=static \
    --project=demo-project

# backend service dual-lb-static-bs (global): backend service for backend static
gcloud compute backend-services create dual-lb-static-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:dual-lb] backend service for backend static' \
    --project=demo-project
gcloud compute backend-services add-backend dual-lb-static-bs \
    --global \
    --network-endpoint-group=dual-lb-static-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project
gcloud compute backend-services update dual-lb-static-bs \
    --global \
    --enable-cdn \
    --cache-mode=CACHE_ALL_STATIC \
    --default-ttl=3600 \
    --client-ttl=600 \
    --max-ttl=86400 \
    --negative-caching \
    --project=demo-project

# URL map dual-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps import dual-lb-urlmap \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: dual-lb-urlmap
defaultService: projects/demo-project/global/backendServices/dual-lb-static-bs
headerAction:
  responseHeadersToAdd:
    - headerName: Strict-Transport-Security
      headerValue: max-age=31536000; includeSubDomains
      replace: true
description: "[serverless-lb:dual-lb] URL map: routes hosts and paths to the backend services"
SERVERLESS_LB_YAML

# target HTTPS proxy dual-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create dual-lb-https-proxy \
    --url-map=dual-lb-urlmap \
    --ssl-certificates=dual-lb-cert \
    --global \
    --description='[serverless-lb:dual-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# forwarding rule dual-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create dual-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=dual-lb-ip \
    --target-https-proxy=dual-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:dual-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update dual-lb-https-fr \
    --global \
    --update-labels=serverless-lb=dual-lb \
    --project=demo-project

# forwarding rule dual-lb-https-fr-ipv6 (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create dual-lb-https-fr-ipv6 \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=dual-lb-ip-ipv6 \
    --target-https-proxy=dual-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:dual-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update dual-lb-https-fr-ipv6 \
    --global \
    --update-labels=serverless-lb=dual-lb \
    --project=demo-project

# DNS record set www.example.com. (in zone example-com): A record for www.example.com in zone example-com
ip_dual_lb_ip="$(gcloud compute addresses describe dual-lb-ip --global --project=demo-project --format='value(address)')"
gcloud dns record-sets create www.example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --rrdatas="${ip_dual_lb_ip}" \
    --project=demo-project

# DNS record set www.example.com./AAAA (in zone example-com): AAAA record for www.example.com in zone example-com
ip_dual_lb_ip_ipv6="$(gcloud compute addresses describe dual-lb-ip-ipv6 --global --project=demo-project --format='value(address)')"
gcloud dns record-sets create www.example.com. \
    --zone=example-com \
    --type=AAAA \
    --ttl=300 \
    --rrdatas="${ip_dual_lb_ip_ipv6}" \
    --project=demo-project

# Cloud Run service static (in europe-west1): restrict ingress of Cloud Run service static in europe-west1 to internal traffic and Cloud Load Balancing
gcloud run services update static \
    --region=europe-west1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service IAM static (in europe-west1): let allUsers invoke Cloud Run service static in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding static \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

echo 'Load balancer dual-lb: all commands completed.'
