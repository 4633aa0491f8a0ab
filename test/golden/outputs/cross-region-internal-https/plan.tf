# serverless-lb: Terraform configuration for load balancer "xr-https-lb" in project "demo-project".
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

# Existing subnetwork default: read, never changed. (existing subnet the internal address in europe-west1 comes from)
data "google_compute_subnetwork" "default" {
  name   = "default"
  region = "europe-west1"
}

# Existing subnetwork default: read, never changed. (existing subnet the internal address in us-central1 comes from)
data "google_compute_subnetwork" "default_us_central1" {
  name   = "default"
  region = "us-central1"
}

# proxy-only subnet (GLOBAL_MANAGED_PROXY) for the load balancer's proxies in europe-west1
resource "google_compute_subnetwork" "xr_https_lb_proxy_only_europe_west1" {
  name          = "xr-https-lb-proxy-only-europe-west1"
  region        = "europe-west1"
  description   = "[serverless-lb:xr-https-lb] proxy-only subnet (GLOBAL_MANAGED_PROXY) for the load balancer's proxies in europe-west1"
  network       = data.google_compute_network.default.id
  ip_cidr_range = "10.140.0.0/23"
  purpose       = "GLOBAL_MANAGED_PROXY"
  role          = "ACTIVE"
}

# proxy-only subnet (GLOBAL_MANAGED_PROXY) for the load balancer's proxies in us-central1
resource "google_compute_subnetwork" "xr_https_lb_proxy_only_us_central1" {
  name          = "xr-https-lb-proxy-only-us-central1"
  region        = "us-central1"
  description   = "[serverless-lb:xr-https-lb] proxy-only subnet (GLOBAL_MANAGED_PROXY) for the load balancer's proxies in us-central1"
  network       = data.google_compute_network.default.id
  ip_cidr_range = "10.141.0.0/23"
  purpose       = "GLOBAL_MANAGED_PROXY"
  role          = "ACTIVE"
}

# internal IP address of the load balancer in europe-west1
resource "google_compute_address" "xr_https_lb_ip_europe_west1" {
  name         = "xr-https-lb-ip-europe-west1"
  region       = "europe-west1"
  description  = "[serverless-lb:xr-https-lb] internal IP address of the load balancer in europe-west1"
  address_type = "INTERNAL"
  subnetwork   = data.google_compute_subnetwork.default.id
  labels       = {
    "serverless-lb" = "xr-https-lb"
  }
}

# internal IP address of the load balancer in us-central1
resource "google_compute_address" "xr_https_lb_ip_us_central1" {
  name         = "xr-https-lb-ip-us-central1"
  region       = "us-central1"
  description  = "[serverless-lb:xr-https-lb] internal IP address of the load balancer in us-central1"
  address_type = "INTERNAL"
  subnetwork   = data.google_compute_subnetwork.default_us_central1.id
  labels       = {
    "serverless-lb" = "xr-https-lb"
  }
}

# DNS authorization of xr-api.example.com for the managed certificate
resource "google_certificate_manager_dns_authorization" "xr_https_lb_dnsauth_xr_api_example_com" {
  name        = "xr-https-lb-dnsauth-xr-api-example-com"
  description = "[serverless-lb:xr-https-lb] DNS authorization of xr-api.example.com for the managed certificate"
  labels      = {
    "serverless-lb" = "xr-https-lb"
  }
  domain      = "xr-api.example.com"
}

# Google-managed certificate (DNS authorization) for the HTTPS proxy
resource "google_certificate_manager_certificate" "xr_https_lb_cert" {
  name        = "xr-https-lb-cert"
  description = "[serverless-lb:xr-https-lb] Google-managed certificate (DNS authorization) for the HTTPS proxy"
  labels      = {
    "serverless-lb" = "xr-https-lb"
  }
  scope       = "ALL_REGIONS"

  managed {
    domains            = ["xr-api.example.com"]
    dns_authorizations = [
      google_certificate_manager_dns_authorization.xr_https_lb_dnsauth_xr_api_example_com.id,
    ]
  }
}

# serverless NEG in europe-west1 for backend internal-api: Cloud Run service internal-api
resource "google_compute_region_network_endpoint_group" "xr_https_lb_internal_api_neg_europe_west1" {
  name                  = "xr-https-lb-internal-api-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:xr-https-lb] serverless NEG in europe-west1 for backend internal-api: Cloud Run service internal-api"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "internal-api"
  }
}

# serverless NEG in us-central1 for backend internal-api: Cloud Run service internal-api
resource "google_compute_region_network_endpoint_group" "xr_https_lb_internal_api_neg_us_central1" {
  name                  = "xr-https-lb-internal-api-neg-us-central1"
  region                = "us-central1"
  description           = "[serverless-lb:xr-https-lb] serverless NEG in us-central1 for backend internal-api: Cloud Run service internal-api"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "internal-api"
  }
}

# backend service for backend internal-api
resource "google_compute_backend_service" "xr_https_lb_internal_api_bs" {
  name                  = "xr-https-lb-internal-api-bs"
  description           = "[serverless-lb:xr-https-lb] backend service for backend internal-api"
  load_balancing_scheme = "INTERNAL_MANAGED"
  protocol              = "HTTP"

  backend {
    group = google_compute_region_network_endpoint_group.xr_https_lb_internal_api_neg_europe_west1.id
  }

  backend {
    group = google_compute_region_network_endpoint_group.xr_https_lb_internal_api_neg_us_central1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "xr_https_lb_urlmap" {
  name            = "xr-https-lb-urlmap"
  description     = "[serverless-lb:xr-https-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.xr_https_lb_internal_api_bs.id
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "xr_https_lb_https_proxy" {
  name                             = "xr-https-lb-https-proxy"
  description                      = "[serverless-lb:xr-https-lb] HTTPS proxy: terminates TLS"
  url_map                          = google_compute_url_map.xr_https_lb_urlmap.id
  certificate_manager_certificates = [google_certificate_manager_certificate.xr_https_lb_cert.id]
}

# HTTPS forwarding rule on port 443 in europe-west1
resource "google_compute_global_forwarding_rule" "xr_https_lb_https_fr_europe_west1" {
  name                  = "xr-https-lb-https-fr-europe-west1"
  description           = "[serverless-lb:xr-https-lb] HTTPS forwarding rule on port 443 in europe-west1"
  load_balancing_scheme = "INTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_address.xr_https_lb_ip_europe_west1.id
  target                = google_compute_target_https_proxy.xr_https_lb_https_proxy.id
  network               = data.google_compute_network.default.id
  subnetwork            = data.google_compute_subnetwork.default.id
  labels                = {
    "serverless-lb" = "xr-https-lb"
  }
  depends_on            = [google_compute_subnetwork.xr_https_lb_proxy_only_europe_west1]
}

# HTTPS forwarding rule on port 443 in us-central1
resource "google_compute_global_forwarding_rule" "xr_https_lb_https_fr_us_central1" {
  name                  = "xr-https-lb-https-fr-us-central1"
  description           = "[serverless-lb:xr-https-lb] HTTPS forwarding rule on port 443 in us-central1"
  load_balancing_scheme = "INTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_address.xr_https_lb_ip_us_central1.id
  target                = google_compute_target_https_proxy.xr_https_lb_https_proxy.id
  network               = data.google_compute_network.default.id
  subnetwork            = data.google_compute_subnetwork.default_us_central1.id
  labels                = {
    "serverless-lb" = "xr-https-lb"
  }
  depends_on            = [google_compute_subnetwork.xr_https_lb_proxy_only_us_central1]
}

# CNAME record of the DNS authorization of xr-api.example.com in zone example-com
resource "google_dns_record_set" "_acme_challenge_xr_api_example_com_" {
  name         = "_acme-challenge.xr-api.example.com."
  managed_zone = "example-com"
  type         = "CNAME"
  ttl          = 300
  rrdatas      = [
    google_certificate_manager_dns_authorization.xr_https_lb_dnsauth_xr_api_example_com.dns_resource_record[0].data,
  ]
}

# A record for xr-api.example.com in zone example-com
resource "google_dns_record_set" "xr_api_example_com_" {
  name         = "xr-api.example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300

  routing_policy {
    geo {
      location = "europe-west1"
      rrdatas  = [google_compute_address.xr_https_lb_ip_europe_west1.address]
    }

    geo {
      location = "us-central1"
      rrdatas  = [google_compute_address.xr_https_lb_ip_us_central1.address]
    }
  }

  depends_on = [
    google_compute_global_forwarding_rule.xr_https_lb_https_fr_europe_west1,
    google_compute_global_forwarding_rule.xr_https_lb_https_fr_us_central1,
  ]
}

# let allUsers invoke Cloud Run service internal-api in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "internal_api" {
  project    = var.project
  location   = "europe-west1"
  name       = "internal-api"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.xr_https_lb_https_fr_europe_west1,
    google_compute_global_forwarding_rule.xr_https_lb_https_fr_us_central1,
  ]
}

# let allUsers invoke Cloud Run service internal-api in us-central1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "internal_api_us_central1" {
  project    = var.project
  location   = "us-central1"
  name       = "internal-api"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.xr_https_lb_https_fr_europe_west1,
    google_compute_global_forwarding_rule.xr_https_lb_https_fr_us_central1,
  ]
}

# Cloud Run service internal-api (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service internal-api in europe-west1 to internal traffic. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update internal-api --region=europe-west1 --ingress=internal --project=demo-project

# Cloud Run service internal-api (us-central1): not managed by this configuration.
# restrict ingress of Cloud Run service internal-api in us-central1 to internal traffic. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update internal-api --region=us-central1 --ingress=internal --project=demo-project
