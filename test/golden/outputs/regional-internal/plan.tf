# serverless-lb: Terraform configuration for load balancer "internal-lb" in project "demo-project".
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
resource "google_compute_address" "internal_lb_ip" {
  name         = "internal-lb-ip"
  region       = "europe-west1"
  description  = "[serverless-lb:internal-lb] internal IP address of the load balancer in europe-west1"
  address_type = "INTERNAL"
  subnetwork   = data.google_compute_subnetwork.default.id
  labels       = {
    "serverless-lb" = "internal-lb"
  }
}

# serverless NEG in europe-west1 for backend internal-api: Cloud Run service internal-api
resource "google_compute_region_network_endpoint_group" "internal_lb_internal_api_neg_europe_west1" {
  name                  = "internal-lb-internal-api-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:internal-lb] serverless NEG in europe-west1 for backend internal-api: Cloud Run service internal-api"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "internal-api"
  }
}

# backend service for backend internal-api
resource "google_compute_region_backend_service" "internal_lb_internal_api_bs" {
  name                  = "internal-lb-internal-api-bs"
  region                = "europe-west1"
  description           = "[serverless-lb:internal-lb] backend service for backend internal-api"
  load_balancing_scheme = "INTERNAL_MANAGED"
  protocol              = "HTTP"

  backend {
    group = google_compute_region_network_endpoint_group.internal_lb_internal_api_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_region_url_map" "internal_lb_urlmap" {
  name            = "internal-lb-urlmap"
  region          = "europe-west1"
  description     = "[serverless-lb:internal-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_region_backend_service.internal_lb_internal_api_bs.id
}

# HTTP proxy
resource "google_compute_region_target_http_proxy" "internal_lb_http_proxy" {
  name        = "internal-lb-http-proxy"
  region      = "europe-west1"
  description = "[serverless-lb:internal-lb] HTTP proxy"
  url_map     = google_compute_region_url_map.internal_lb_urlmap.id
}

# HTTP forwarding rule on port 80 in europe-west1
resource "google_compute_forwarding_rule" "internal_lb_http_fr" {
  name                  = "internal-lb-http-fr"
  region                = "europe-west1"
  description           = "[serverless-lb:internal-lb] HTTP forwarding rule on port 80 in europe-west1"
  load_balancing_scheme = "INTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "80"
  ip_address            = google_compute_address.internal_lb_ip.id
  target                = google_compute_region_target_http_proxy.internal_lb_http_proxy.id
  network               = data.google_compute_network.default.id
  subnetwork            = data.google_compute_subnetwork.default.id
  labels                = {
    "serverless-lb" = "internal-lb"
  }
}

# let allUsers invoke Cloud Run service internal-api in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "internal_api" {
  project    = var.project
  location   = "europe-west1"
  name       = "internal-api"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [google_compute_forwarding_rule.internal_lb_http_fr]
}

# Cloud Run service internal-api (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service internal-api in europe-west1 to internal traffic. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update internal-api --region=europe-west1 --ingress=internal --project=demo-project
