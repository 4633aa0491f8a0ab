#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "iap-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# address iap-lb-ip (global): external IP address of the load balancer
gcloud compute addresses create iap-lb-ip \
    --global \
    --ip-version=IPV4 \
    --description='[serverless-lb:iap-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update iap-lb-ip \
    --global \
    --update-labels=serverless-lb=iap-lb \
    --project=demo-project

# SSL certificate iap-lb-cert (global): Google-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create iap-lb-cert \
    --domains=www.example.com,admin.example.com \
    --global \
    --description='[serverless-lb:iap-lb] Google-managed certificate for the HTTPS proxy' \
    --project=demo-project

# network endpoint group iap-lb-web-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend web: Cloud Run service web
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create iap-lb-web-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web \
    --project=demo-project

# network endpoint group iap-lb-admin-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend admin: Cloud Run service admin
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create iap-lb-admin-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=admin \
    --project=demo-project

# backend service iap-lb-web-bs (global): backend service for backend web
gcloud compute backend-services create iap-lb-web-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:iap-lb] backend service for backend web' \
    --project=demo-project
gcloud compute backend-services add-backend iap-lb-web-bs \
    --global \
    --network-endpoint-group=iap-lb-web-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# backend service iap-lb-admin-bs (global): backend service for backend admin
gcloud compute backend-services create iap-lb-admin-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:iap-lb] backend service for backend admin' \
    --project=demo-project
gcloud compute backend-services add-backend iap-lb-admin-bs \
    --global \
    --network-endpoint-group=iap-lb-admin-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project
gcloud compute backend-services update iap-lb-admin-bs \
    --global \
    --iap=enabled,oauth2-client-id=123456789012-abcdefghijklmnop.apps.googleusercontent.com,oauth2-client-secret="${IAP_CLIENT_SECRET:?set IAP_CLIENT_SECRET to the IAP OAuth client secret}" \
    --project=demo-project

# URL map iap-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create iap-lb-urlmap \
    --default-service=iap-lb-web-bs \
    --global \
    --description='[serverless-lb:iap-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project
gcloud compute url-maps add-path-matcher iap-lb-urlmap \
    --path-matcher-name=hosts-1 \
    --default-service=iap-lb-admin-bs \
    --new-hosts=admin.example.com \
    --global \
    --project=demo-project

# URL map iap-lb-redirect-urlmap (global): URL map that redirects HTTP to HTTPS
gcloud compute url-maps import iap-lb-redirect-urlmap \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: iap-lb-redirect-urlmap
defaultUrlRedirect:
  httpsRedirect: true
  redirectResponseCode: MOVED_PERMANENTLY_DEFAULT
  stripQuery: false
description: "[serverless-lb:iap-lb] URL map that redirects HTTP to HTTPS"
SERVERLESS_LB_YAML

# target HTTPS proxy iap-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create iap-lb-https-proxy \
    --url-map=iap-lb-urlmap \
    --ssl-certificates=iap-lb-cert \
    --global \
    --description='[serverless-lb:iap-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# target HTTP proxy iap-lb-http-proxy (global): HTTP proxy that redirects to HTTPS
gcloud compute target-http-proxies create iap-lb-http-proxy \
    --url-map=iap-lb-redirect-urlmap \
    --global \
    --description='[serverless-lb:iap-lb] HTTP proxy that redirects to HTTPS' \
    --project=demo-project

# forwarding rule iap-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create iap-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=iap-lb-ip \
    --target-https-proxy=iap-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:iap-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update iap-lb-https-fr \
    --global \
    --update-labels=serverless-lb=iap-lb \
    --project=demo-project

# forwarding rule iap-lb-http-fr (global): HTTP (redirect) forwarding rule on port 80
gcloud compute forwarding-rules create iap-lb-http-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=iap-lb-ip \
    --target-http-proxy=iap-lb-http-proxy \
    --ports=80 \
    --description='[serverless-lb:iap-lb] HTTP (redirect) forwarding rule on port 80' \
    --project=demo-project
gcloud compute forwarding-rules update iap-lb-http-fr \
    --global \
    --update-labels=serverless-lb=iap-lb \
    --project=demo-project

# Cloud Run service web (in europe-west1): restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing
gcloud run services update web \
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

# Cloud Run service IAM admin (in europe-west1): let the IAP service agent invoke Cloud Run service admin in europe-west1 (the load balancer's requests)
project_number="$(gcloud projects describe demo-project --format='value(projectNumber)' --project=demo-project)"
gcloud run services add-iam-policy-binding admin \
    --region=europe-west1 \
    --member="serviceAccount:service-${project_number}@gcp-sa-iap.iam.gserviceaccount.com" \
    --role=roles/run.invoker \
    --project=demo-project

echo 'Load balancer iap-lb: all commands completed.'
