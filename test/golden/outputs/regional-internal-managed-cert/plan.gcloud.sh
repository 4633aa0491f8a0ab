#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "internal-https-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# Existing VPC network default (global): referenced, not created. (existing VPC network of the load balancer)

# Existing subnetwork proxy-only-europe-west1 (in europe-west1): referenced, not created. (existing proxy-only subnet (REGIONAL_MANAGED_PROXY) in europe-west1)

# Existing subnetwork default (in europe-west1): referenced, not created. (existing subnet the internal address in europe-west1 comes from)

# address internal-https-lb-ip (in europe-west1): internal IP address of the load balancer in europe-west1
gcloud compute addresses create internal-https-lb-ip \
    --region=europe-west1 \
    --subnet=default \
    --description='[serverless-lb:internal-https-lb] internal IP address of the load balancer in europe-west1' \
    --project=demo-project
gcloud beta compute addresses update internal-https-lb-ip \
    --region=europe-west1 \
    --update-labels=serverless-lb=internal-https-lb \
    --project=demo-project

# Certificate Manager DNS authorization internal-https-lb-dnsauth-internal-api-example-com (in europe-west1): DNS authorization of internal-api.example.com for the managed certificate
gcloud certificate-manager dns-authorizations create internal-https-lb-dnsauth-internal-api-example-com \
    --domain=internal-api.example.com \
    --type=per-project-record \
    --location=europe-west1 \
    --description='[serverless-lb:internal-https-lb] DNS authorization of internal-api.example.com for the managed certificate' \
    --labels=serverless-lb=internal-https-lb \
    --project=demo-project

# Certificate Manager certificate internal-https-lb-cert (in europe-west1): Google-managed certificate (DNS authorization) for the HTTPS proxy
gcloud certificate-manager certificates create internal-https-lb-cert \
    --domains=internal-api.example.com \
    --dns-authorizations=internal-https-lb-dnsauth-internal-api-example-com \
    --location=europe-west1 \
    --description='[serverless-lb:internal-https-lb] Google-managed certificate (DNS authorization) for the HTTPS proxy' \
    --labels=serverless-lb=internal-https-lb \
    --project=demo-project

# network endpoint group internal-https-lb-internal-api-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend internal-api: Cloud Run service internal-api
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create internal-https-lb-internal-api-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=internal-api \
    --project=demo-project

# backend service internal-https-lb-internal-api-bs (in europe-west1): backend service for backend internal-api
gcloud compute backend-services create internal-https-lb-internal-api-bs \
    --region=europe-west1 \
    --load-balancing-scheme=INTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:internal-https-lb] backend service for backend internal-api' \
    --project=demo-project
gcloud compute backend-services add-backend internal-https-lb-internal-api-bs \
    --region=europe-west1 \
    --network-endpoint-group=internal-https-lb-internal-api-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map internal-https-lb-urlmap (in europe-west1): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create internal-https-lb-urlmap \
    --default-service=internal-https-lb-internal-api-bs \
    --region=europe-west1 \
    --description='[serverless-lb:internal-https-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project

# target HTTPS proxy internal-https-lb-https-proxy (in europe-west1): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create internal-https-lb-https-proxy \
    --url-map=internal-https-lb-urlmap \
    --certificate-manager-certificates=internal-https-lb-cert \
    --region=europe-west1 \
    --description='[serverless-lb:internal-https-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# forwarding rule internal-https-lb-https-fr (in europe-west1): HTTPS forwarding rule on port 443 in europe-west1
gcloud compute forwarding-rules create internal-https-lb-https-fr \
    --region=europe-west1 \
    --load-balancing-scheme=INTERNAL_MANAGED \
    --network=default \
    --subnet=default \
    --address=internal-https-lb-ip \
    --target-https-proxy=internal-https-lb-https-proxy \
    --target-https-proxy-region=europe-west1 \
    --ports=443 \
    --description='[serverless-lb:internal-https-lb] HTTPS forwarding rule on port 443 in europe-west1' \
    --project=demo-project
gcloud compute forwarding-rules update internal-https-lb-https-fr \
    --region=europe-west1 \
    --update-labels=serverless-lb=internal-https-lb \
    --project=demo-project

# DNS record set _acme-challenge.internal-api.example.com. (in zone example-com): CNAME record of the DNS authorization of internal-api.example.com in zone example-com
cname_internal_https_lb_dnsauth_internal_api_example_com="$(gcloud certificate-manager dns-authorizations describe internal-https-lb-dnsauth-internal-api-example-com --location=europe-west1 --project=demo-project --format='value(dnsResourceRecord.data)')"
gcloud dns record-sets create _acme-challenge.internal-api.example.com. \
    --zone=example-com \
    --type=CNAME \
    --ttl=300 \
    --rrdatas="${cname_internal_https_lb_dnsauth_internal_api_example_com}" \
    --project=demo-project

# DNS record set internal-api.example.com. (in zone example-com): A record for internal-api.example.com in zone example-com
ip_internal_https_lb_ip="$(gcloud compute addresses describe internal-https-lb-ip --region=europe-west1 --project=demo-project --format='value(address)')"
gcloud dns record-sets create internal-api.example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --rrdatas="${ip_internal_https_lb_ip}" \
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

echo 'Load balancer internal-https-lb: all commands completed.'
