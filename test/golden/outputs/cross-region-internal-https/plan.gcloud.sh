#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "xr-https-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# Existing VPC network default (global): referenced, not created. (existing VPC network of the load balancer)

# subnetwork xr-https-lb-proxy-only-europe-west1 (in europe-west1): proxy-only subnet (GLOBAL_MANAGED_PROXY) for the load balancer's proxies in europe-west1
gcloud compute networks subnets create xr-https-lb-proxy-only-europe-west1 \
    --network=default \
    --region=europe-west1 \
    --range=10.140.0.0/23 \
    --purpose=GLOBAL_MANAGED_PROXY \
    --role=ACTIVE \
    --description='[serverless-lb:xr-https-lb] proxy-only subnet (GLOBAL_MANAGED_PROXY) for the load balancer'\''s proxies in europe-west1' \
    --project=demo-project

# subnetwork xr-https-lb-proxy-only-us-central1 (in us-central1): proxy-only subnet (GLOBAL_MANAGED_PROXY) for the load balancer's proxies in us-central1
gcloud compute networks subnets create xr-https-lb-proxy-only-us-central1 \
    --network=default \
    --region=us-central1 \
    --range=10.141.0.0/23 \
    --purpose=GLOBAL_MANAGED_PROXY \
    --role=ACTIVE \
    --description='[serverless-lb:xr-https-lb] proxy-only subnet (GLOBAL_MANAGED_PROXY) for the load balancer'\''s proxies in us-central1' \
    --project=demo-project

# Existing subnetwork default (in europe-west1): referenced, not created. (existing subnet the internal address in europe-west1 comes from)

# Existing subnetwork default (in us-central1): referenced, not created. (existing subnet the internal address in us-central1 comes from)

# address xr-https-lb-ip-europe-west1 (in europe-west1): internal IP address of the load balancer in europe-west1
gcloud compute addresses create xr-https-lb-ip-europe-west1 \
    --region=europe-west1 \
    --subnet=default \
    --description='[serverless-lb:xr-https-lb] internal IP address of the load balancer in europe-west1' \
    --project=demo-project
gcloud beta compute addresses update xr-https-lb-ip-europe-west1 \
    --region=europe-west1 \
    --update-labels=serverless-lb=xr-https-lb \
    --project=demo-project

# address xr-https-lb-ip-us-central1 (in us-central1): internal IP address of the load balancer in us-central1
gcloud compute addresses create xr-https-lb-ip-us-central1 \
    --region=us-central1 \
    --subnet=default \
    --description='[serverless-lb:xr-https-lb] internal IP address of the load balancer in us-central1' \
    --project=demo-project
gcloud beta compute addresses update xr-https-lb-ip-us-central1 \
    --region=us-central1 \
    --update-labels=serverless-lb=xr-https-lb \
    --project=demo-project

# Certificate Manager DNS authorization xr-https-lb-dnsauth-xr-api-example-com (global): DNS authorization of xr-api.example.com for the managed certificate
gcloud certificate-manager dns-authorizations create xr-https-lb-dnsauth-xr-api-example-com \
    --domain=xr-api.example.com \
    --location=global \
    --description='[serverless-lb:xr-https-lb] DNS authorization of xr-api.example.com for the managed certificate' \
    --labels=serverless-lb=xr-https-lb \
    --project=demo-project

# Certificate Manager certificate xr-https-lb-cert (global): Google-managed certificate (DNS authorization) for the HTTPS proxy
gcloud certificate-manager certificates create xr-https-lb-cert \
    --domains=xr-api.example.com \
    --dns-authorizations=xr-https-lb-dnsauth-xr-api-example-com \
    --scope=all-regions \
    --location=global \
    --description='[serverless-lb:xr-https-lb] Google-managed certificate (DNS authorization) for the HTTPS proxy' \
    --labels=serverless-lb=xr-https-lb \
    --project=demo-project

# network endpoint group xr-https-lb-internal-api-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend internal-api: Cloud Run service internal-api
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create xr-https-lb-internal-api-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=internal-api \
    --project=demo-project

# network endpoint group xr-https-lb-internal-api-neg-us-central1 (in us-central1): serverless NEG in us-central1 for backend internal-api: Cloud Run service internal-api
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create xr-https-lb-internal-api-neg-us-central1 \
    --region=us-central1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=internal-api \
    --project=demo-project

# backend service xr-https-lb-internal-api-bs (global): backend service for backend internal-api
gcloud compute backend-services create xr-https-lb-internal-api-bs \
    --global \
    --load-balancing-scheme=INTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:xr-https-lb] backend service for backend internal-api' \
    --project=demo-project
gcloud compute backend-services add-backend xr-https-lb-internal-api-bs \
    --global \
    --network-endpoint-group=xr-https-lb-internal-api-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project
gcloud compute backend-services add-backend xr-https-lb-internal-api-bs \
    --global \
    --network-endpoint-group=xr-https-lb-internal-api-neg-us-central1 \
    --network-endpoint-group-region=us-central1 \
    --project=demo-project

# URL map xr-https-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create xr-https-lb-urlmap \
    --default-service=xr-https-lb-internal-api-bs \
    --global \
    --description='[serverless-lb:xr-https-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project

# target HTTPS proxy xr-https-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create xr-https-lb-https-proxy \
    --url-map=xr-https-lb-urlmap \
    --certificate-manager-certificates=xr-https-lb-cert \
    --global \
    --description='[serverless-lb:xr-https-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# forwarding rule xr-https-lb-https-fr-europe-west1 (global): HTTPS forwarding rule on port 443 in europe-west1
gcloud compute forwarding-rules create xr-https-lb-https-fr-europe-west1 \
    --global \
    --load-balancing-scheme=INTERNAL_MANAGED \
    --network=default \
    --subnet=default \
    --subnet-region=europe-west1 \
    --address=xr-https-lb-ip-europe-west1 \
    --address-region=europe-west1 \
    --target-https-proxy=xr-https-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:xr-https-lb] HTTPS forwarding rule on port 443 in europe-west1' \
    --project=demo-project
gcloud compute forwarding-rules update xr-https-lb-https-fr-europe-west1 \
    --global \
    --update-labels=serverless-lb=xr-https-lb \
    --project=demo-project

# forwarding rule xr-https-lb-https-fr-us-central1 (global): HTTPS forwarding rule on port 443 in us-central1
gcloud compute forwarding-rules create xr-https-lb-https-fr-us-central1 \
    --global \
    --load-balancing-scheme=INTERNAL_MANAGED \
    --network=default \
    --subnet=default \
    --subnet-region=us-central1 \
    --address=xr-https-lb-ip-us-central1 \
    --address-region=us-central1 \
    --target-https-proxy=xr-https-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:xr-https-lb] HTTPS forwarding rule on port 443 in us-central1' \
    --project=demo-project
gcloud compute forwarding-rules update xr-https-lb-https-fr-us-central1 \
    --global \
    --update-labels=serverless-lb=xr-https-lb \
    --project=demo-project

# DNS record set _acme-challenge.xr-api.example.com. (in zone example-com): CNAME record of the DNS authorization of xr-api.example.com in zone example-com
cname_xr_https_lb_dnsauth_xr_api_example_com="$(gcloud certificate-manager dns-authorizations describe xr-https-lb-dnsauth-xr-api-example-com --location=global --project=demo-project --format='value(dnsResourceRecord.data)')"
gcloud dns record-sets create _acme-challenge.xr-api.example.com. \
    --zone=example-com \
    --type=CNAME \
    --ttl=300 \
    --rrdatas="${cname_xr_https_lb_dnsauth_xr_api_example_com}" \
    --project=demo-project

# DNS record set xr-api.example.com. (in zone example-com): A record for xr-api.example.com in zone example-com
ip_xr_https_lb_ip_europe_west1="$(gcloud compute addresses describe xr-https-lb-ip-europe-west1 --region=europe-west1 --project=demo-project --format='value(address)')"
ip_xr_https_lb_ip_us_central1="$(gcloud compute addresses describe xr-https-lb-ip-us-central1 --region=us-central1 --project=demo-project --format='value(address)')"
gcloud dns record-sets create xr-api.example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --routing-policy-type=GEO \
    --routing-policy-data="europe-west1=${ip_xr_https_lb_ip_europe_west1};us-central1=${ip_xr_https_lb_ip_us_central1}" \
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

echo 'Load balancer xr-https-lb: all commands completed.'
