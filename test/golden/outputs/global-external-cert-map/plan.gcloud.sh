#!/usr/bin/env bash
# serverless-lb: gcloud commands that create load balancer "map-lb" in project "demo-project".
# Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).
# Commands run in creation order; a failed command stops the script.
# Secrets are read when the script runs, from the files and environment variables it names;
# relative file paths are read from the directory the script runs in.
set -euo pipefail

# address map-lb-ip (global): external IP address of the load balancer
gcloud compute addresses create map-lb-ip \
    --global \
    --ip-version=IPV4 \
    --description='[serverless-lb:map-lb] external IP address of the load balancer' \
    --project=demo-project
gcloud beta compute addresses update map-lb-ip \
    --global \
    --update-labels=serverless-lb=map-lb \
    --project=demo-project

# Certificate Manager DNS authorization map-lb-dnsauth-example-com (global): DNS authorization of example.com for the managed certificate
gcloud certificate-manager dns-authorizations create map-lb-dnsauth-example-com \
    --domain=example.com \
    --location=global \
    --description='[serverless-lb:map-lb] DNS authorization of example.com for the managed certificate' \
    --labels=serverless-lb=map-lb \
    --project=demo-project

# Certificate Manager certificate map-lb-cert (global): Google-managed certificate (DNS authorization) for the HTTPS proxy
gcloud certificate-manager certificates create map-lb-cert \
    --domains='example.com,*.example.com' \
    --dns-authorizations=map-lb-dnsauth-example-com \
    --location=global \
    --description='[serverless-lb:map-lb] Google-managed certificate (DNS authorization) for the HTTPS proxy' \
    --labels=serverless-lb=map-lb \
    --project=demo-project

# certificate map map-lb-certmap (global): certificate map of the HTTPS proxy
gcloud certificate-manager maps create map-lb-certmap \
    --location=global \
    --description='[serverless-lb:map-lb] certificate map of the HTTPS proxy' \
    --labels=serverless-lb=map-lb \
    --project=demo-project

# certificate map entry map-lb-certmap/map-lb-example-com (global): certificate map entry: serves example.com
gcloud certificate-manager maps entries create map-lb-example-com \
    --map=map-lb-certmap \
    --hostname=example.com \
    --certificates=map-lb-cert \
    --location=global \
    --description='[serverless-lb:map-lb] certificate map entry: serves example.com' \
    --labels=serverless-lb=map-lb \
    --project=demo-project

# certificate map entry map-lb-certmap/map-lb-wildcard-example-com (global): certificate map entry: serves *.example.com
gcloud certificate-manager maps entries create map-lb-wildcard-example-com \
    --map=map-lb-certmap \
    --hostname='*.example.com' \
    --certificates=map-lb-cert \
    --location=global \
    --description='[serverless-lb:map-lb] certificate map entry: serves *.example.com' \
    --labels=serverless-lb=map-lb \
    --project=demo-project

# certificate map entry map-lb-certmap/map-lb-primary (global): certificate map entry: serves clients that send no or another server name
gcloud certificate-manager maps entries create map-lb-primary \
    --map=map-lb-certmap \
    --set-primary \
    --certificates=map-lb-cert \
    --location=global \
    --description='[serverless-lb:map-lb] certificate map entry: serves clients that send no or another server name' \
    --labels=serverless-lb=map-lb \
    --project=demo-project

# network endpoint group map-lb-web-neg-europe-west1 (in europe-west1): serverless NEG in europe-west1 for backend web: Cloud Run service web
# (gcloud sets no description on network endpoint groups: its name ties it to the load balancer)
gcloud compute network-endpoint-groups create map-lb-web-neg-europe-west1 \
    --region=europe-west1 \
    --network-endpoint-type=serverless \
    --cloud-run-service=web \
    --project=demo-project

# backend service map-lb-web-bs (global): backend service for backend web
gcloud compute backend-services create map-lb-web-bs \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --protocol=HTTP \
    --enable-logging \
    --logging-sample-rate=1 \
    --description='[serverless-lb:map-lb] backend service for backend web' \
    --project=demo-project
gcloud compute backend-services add-backend map-lb-web-bs \
    --global \
    --network-endpoint-group=map-lb-web-neg-europe-west1 \
    --network-endpoint-group-region=europe-west1 \
    --project=demo-project

# URL map map-lb-urlmap (global): URL map: routes hosts and paths to the backend services
gcloud compute url-maps create map-lb-urlmap \
    --default-service=map-lb-web-bs \
    --global \
    --description='[serverless-lb:map-lb] URL map: routes hosts and paths to the backend services' \
    --project=demo-project

# URL map map-lb-redirect-urlmap (global): URL map that redirects HTTP to HTTPS
gcloud compute url-maps import map-lb-redirect-urlmap \
    --global \
    --quiet \
    --project=demo-project <<'SERVERLESS_LB_YAML'
name: map-lb-redirect-urlmap
defaultUrlRedirect:
  httpsRedirect: true
  redirectResponseCode: MOVED_PERMANENTLY_DEFAULT
  stripQuery: false
description: "[serverless-lb:map-lb] URL map that redirects HTTP to HTTPS"
SERVERLESS_LB_YAML

# target HTTPS proxy map-lb-https-proxy (global): HTTPS proxy: terminates TLS
gcloud compute target-https-proxies create map-lb-https-proxy \
    --url-map=map-lb-urlmap \
    --certificate-map=map-lb-certmap \
    --global \
    --description='[serverless-lb:map-lb] HTTPS proxy: terminates TLS' \
    --project=demo-project

# target HTTP proxy map-lb-http-proxy (global): HTTP proxy that redirects to HTTPS
gcloud compute target-http-proxies create map-lb-http-proxy \
    --url-map=map-lb-redirect-urlmap \
    --global \
    --description='[serverless-lb:map-lb] HTTP proxy that redirects to HTTPS' \
    --project=demo-project

# forwarding rule map-lb-https-fr (global): HTTPS forwarding rule on port 443
gcloud compute forwarding-rules create map-lb-https-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=map-lb-ip \
    --target-https-proxy=map-lb-https-proxy \
    --ports=443 \
    --description='[serverless-lb:map-lb] HTTPS forwarding rule on port 443' \
    --project=demo-project
gcloud compute forwarding-rules update map-lb-https-fr \
    --global \
    --update-labels=serverless-lb=map-lb \
    --project=demo-project

# forwarding rule map-lb-http-fr (global): HTTP (redirect) forwarding rule on port 80
gcloud compute forwarding-rules create map-lb-http-fr \
    --global \
    --load-balancing-scheme=EXTERNAL_MANAGED \
    --network-tier=PREMIUM \
    --address=map-lb-ip \
    --target-http-proxy=map-lb-http-proxy \
    --ports=80 \
    --description='[serverless-lb:map-lb] HTTP (redirect) forwarding rule on port 80' \
    --project=demo-project
gcloud compute forwarding-rules update map-lb-http-fr \
    --global \
    --update-labels=serverless-lb=map-lb \
    --project=demo-project

# DNS record set _acme-challenge.example.com. (in zone example-com): CNAME record of the DNS authorization of example.com in zone example-com
cname_map_lb_dnsauth_example_com="$(gcloud certificate-manager dns-authorizations describe map-lb-dnsauth-example-com --location=global --project=demo-project --format='value(dnsResourceRecord.data)')"
gcloud dns record-sets create _acme-challenge.example.com. \
    --zone=example-com \
    --type=CNAME \
    --ttl=300 \
    --rrdatas="${cname_map_lb_dnsauth_example_com}" \
    --project=demo-project

# DNS record set example.com. (in zone example-com): A record for example.com in zone example-com
ip_map_lb_ip="$(gcloud compute addresses describe map-lb-ip --global --project=demo-project --format='value(address)')"
gcloud dns record-sets create example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --rrdatas="${ip_map_lb_ip}" \
    --project=demo-project

# DNS record set shop.example.com. (in zone example-com): A record for shop.example.com in zone example-com
gcloud dns record-sets create shop.example.com. \
    --zone=example-com \
    --type=A \
    --ttl=300 \
    --rrdatas="${ip_map_lb_ip}" \
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

echo 'Load balancer map-lb: all commands completed.'
