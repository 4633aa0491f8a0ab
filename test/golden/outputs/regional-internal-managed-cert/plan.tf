# serverless-lb: Terraform configuration for load balancer "internal-https-lb" in project "demo-project".
# Secrets are not in this file: set the sensitive variables below from their files or environment.

terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

variable "project" {
  description = "Google Cloud project that holds the load balancer"
  type        = string
  default     = "demo-project"
}

provider "google" {
  project = var.project
}

# Existing VPC network default: read, never changed. (existing VPC network of the load balancer)
data "google_compute_network" "default" {
  name = "default"
}

# Existing subnetwork proxy-only-europe-west1: read, never changed. (existing proxy-only subnet (REGIONAL_MANAGED_PROXY) in europe-west1)
data "google_compute_subnetwork" "proxy_only_europe_west1" {
  name   = "proxy-only-europe-west1"
  region = "europe-west1"
}

# Existing subnetwork default: read, never changed. (existing subnet the internal address in europe-west1 comes from)
data "google_compute_subnetwork" "default" {
  name   = "default"
  region = "europe-west1"
}

# internal IP address of the load balancer in europe-west1
resource "google_compute_address" "internal_https_lb_ip" {
  name         = "internal-https-lb-ip"
  region       = "europe-west1"
  description  = "[serverless-lb:internal-https-lb] internal IP address of the load balancer in europe-west1"
  address_type = "INTERNAL"
  subnetwork   = data.google_compute_subnetwork.default.id
  labels       = {
    "serverless-lb" = "internal-https-lb"
  }
}

# DNS authorization of internal-api.example.com for the managed certificate
resource "google_certificate_manager_dns_authorization" "internal_https_lb_dnsauth_internal_api_example_com" {
  name        = "internal-https-lb-dnsauth-internal-api-example-com"
  location    = "europe-west1"
  description = "[serverless-lb:internal-https-lb] DNS authorization of internal-api.example.com for the managed certificate"
  labels      = {
    "serverless-lb" = "internal-https-lb"
  }
  domain      = "internal-api.example.com"
  type        = "PER_PROJECT_RECORD"
}

# Google-managed certificate (DNS authorization) for the HTTPS proxy
resource "google_certificate_manager_certificate" "internal_https_lb_cert" {
  name        = "internal-https-lb-cert"
  location    = "europe-west1"
  description = "[serverless-lb:internal-https-lb] Google-managed certificate (DNS authorization) for the HTTPS proxy"
  labels      = {
    "serverless-lb" = "internal-https-lb"
  }

  managed {
    domains            = ["internal-api.example.com"]
    dns_authorizations = [
      google_certificate_manager_dns_authorization.internal_https_lb_dnsauth_internal_api_example_com.id,
    ]
  }
}

# serverless NEG in europe-west1 for backend internal-api: Cloud Run service internal-api
resource "google_compute_region_network_endpoint_group" "internal_https_lb_internal_api_neg_europe_west1" {
  name                  = "internal-https-lb-internal-api-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:internal-https-lb] serverless NEG in europe-west1 for backend internal-api: Cloud Run service internal-api"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "internal-api"
  }
}

# backend service for backend internal-api
resource "google_compute_region_backend_service" "internal_https_lb_internal_api_bs" {
  name                  = "internal-https-lb-internal-api-bs"
  region                = "europe-west1"
  description           = "[serverless-lb:internal-https-lb] backend service for backend internal-api"
  load_balancing_scheme = "INTERNAL_MANAGED"
  protocol              = "HTTP"

  backend {
    group = google_compute_region_network_endpoint_group.internal_https_lb_internal_api_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_region_url_map" "internal_https_lb_urlmap" {
  name            = "internal-https-lb-urlmap"
  region          = "europe-west1"
  description     = "[serverless-lb:internal-https-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_region_backend_service.internal_https_lb_internal_api_bs.id
}

# HTTPS proxy: terminates TLS
resource "google_compute_region_target_https_proxy" "internal_https_lb_https_proxy" {
  name                             = "internal-https-lb-https-proxy"
  region                           = "europe-west1"
  description                      = "[serverless-lb:internal-https-lb] HTTPS proxy: terminates TLS"
  url_map                          = google_compute_region_url_map.internal_https_lb_urlmap.id
  certificate_manager_certificates = [google_certificate_manager_certificate.internal_https_lb_cert.id]
}

# HTTPS forwarding rule on port 443 in europe-west1
resource "google_compute_forwarding_rule" "internal_https_lb_https_fr" {
  name                  = "internal-https-lb-https-fr"
  region                = "europe-west1"
  description           = "[serverless-lb:internal-https-lb] HTTPS forwarding rule on port 443 in europe-west1"
  load_balancing_scheme = "INTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_address.internal_https_lb_ip.id
  target                = google_compute_region_target_https_proxy.internal_https_lb_https_proxy.id
  network               = data.google_compute_network.default.id
  subnetwork            = data.google_compute_subnetwork.default.id
  labels                = {
    "serverless-lb" = "internal-https-lb"
  }
}

# CNAME record of the DNS authorization of internal-api.example.com in zone example-com
resource "google_dns_record_set" "_acme_challenge_internal_api_example_com_" {
  name         = "_acme-challenge.internal-api.example.com."
  managed_zone = "example-com"
  type         = "CNAME"
  ttl          = 300
  rrdatas      = [
    google_certificate_manager_dns_authorization.internal_https_lb_dnsauth_internal_api_example_com.dns_resource_record[0].data,
  ]
}

# A record for internal-api.example.com in zone example-com
resource "google_dns_record_set" "internal_api_example_com_" {
  name         = "internal-api.example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_address.internal_https_lb_ip.address]
  depends_on   = [google_compute_forwarding_rule.internal_https_lb_https_fr]
}

# let allUsers invoke Cloud Run service internal-api in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "internal_api" {
  project    = var.project
  location   = "europe-west1"
  name       = "internal-api"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [google_compute_forwarding_rule.internal_https_lb_https_fr]
}

# Cloud Run service internal-api (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service internal-api in europe-west1 to internal traffic. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update internal-api --region=europe-west1 --ingress=internal --project=demo-project
