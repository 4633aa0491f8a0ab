#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "fn-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# address fn-lb-ip (global): external IP address of the load balancer
gcloud compute addresses create fn-lb-ip \
    --global \
    --ip-version=IPV4 \
    --description='[serverless-lb:fn-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update fn-lb-ip \
    --global \
    --update-labels=serverless-lb=fn-lb \
    --project=demo-project

# SSL certificate fn-lb-cert (global): Google-managed certificate for the HTTPS proxy
gcloud compute ssl-certificates create fn-lb-cert \
    --domains=fn.example.com \
    --global \
    --description='[serverless-lb:fn-lb] Google-managed certificate for the HTTPS proxy' \
    --project=demo-project

# network endpoint group fn-lb-legacy-neg-us-central1 (in us-central1): serverless NEG in us-central1 for backend legacy: Cloud Function legacy-fn
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create fn-lb-legacy-neg-us-central1 \
    --region=us-central1 \
    --network-endpoint-type=serverless \
    --cloud-function-name=legacy-fn \
    --project=demo-project

# network endpoint group fn-lb-legacy-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend legacy: Cloud Function legacy-fn
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create fn-lb-legacy-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-function-name=legacy-fn \
    --project=demo-project

# network endpoint group fn-lb-hello-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend hello: Cloud Run service hello-fn
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create fn-lb-hello-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=hello-fn \
    --project=demo-project

# backend service fn-lb-legacy-bs (global): backend service for backend legacy
gcloud compute backend-services create fn-lb-legacy-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:fn-lb] backend service for backend legacy' \
    --project=demo-project
gcloud compute backend-services add-backend fn-lb-legacy-bs \
    --global \
    --network-endpoint-group=fn-lb-legacy-neg-us-central1 \
    --network-endpoint-group-region=us-central1 \
    --project=demo-project
gcloud compute backend-services add-backend fn-lb-legacy-bs \
    --global \
    --network-endpoint-group=fn-lb-legacy-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# backend service fn-lb-hello-bs (global): backend service for backend hello
gcloud compute backend-services create fn-lb-hello-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:fn-lb] backend service for backend hello' \
    --project=demo-project
gcloud compute backend-services add-backend fn-lb-hello-bs \
    --global \
    --network-endpoint-group=fn-lb-hello-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map fn-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create fn-lb-urlmap \
    --default-service=fn-lb-legacy-bs \
    --global \
    --description='[serverless-lb:fn-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project
gcloud compute url-maps add-path-matcher fn-lb-urlmap \
    --path-matcher-name=hosts-1 \
    --default-service=fn-lb-legacy-bs \
    --new-hosts=fn.example.com \
    --path-rules='/hello=fn-lb-hello-bs,/hello/*=fn-lb-hello-bs' \
    --global \
    --project=demo-project

# target HTTPS proxy fn-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create fn-lb-https-proxy \
    --url-map=fn-lb-urlmap \
    --ssl-certificates=fn-lb-cert \
    --global \
    --description='[serverless-lb:fn-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# forwarding rule fn-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create fn-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=fn-lb-ip \
    --target-https-proxy=fn-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:fn-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update fn-lb-https-fr \
    --global \
    --update-labels=serverless-lb=fn-lb \
    --project=demo-project

# Cloud Run service hello-fn (in europe-west1): restrict ingress of Cloud Run service hello-fn in europe-west1 to internal traffic and Cloud Load Balancing
gcloud run services update hello-fn \
    --region=europe-west1 \
    --ingress=internal-and-cloud-load-balancing \
    --project=demo-project

# Cloud Run service IAM hello-fn (in europe-west1): let allUsers invoke Cloud Run service hello-fn in europe-west1 (the load balancer's requests)
gcloud run services add-iam-policy-binding hello-fn \
    --region=europe-west1 \
    --member=allUsers \
    --role=roles/run.invoker \
    --project=demo-project

echo 'Load balancer fn-lb: all commands completed.'
