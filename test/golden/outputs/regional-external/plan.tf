# serverless-lb: Terraform configuration for load balancer "regional-lb" in project "demo-project".
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

# external IP address of the load balancer in europe-west1
resource "google_compute_address" "regional_lb_ip" {
  name         = "regional-lb-ip"
  region       = "europe-west1"
  description  = "[serverless-lb:regional-lb] external IP address of the load balancer in europe-west1"
  address_type = "EXTERNAL"
  network_tier = "PREMIUM"
  labels       = {
    "serverless-lb" = "regional-lb"
  }
}

# self-managed certificate for the HTTPS proxy
resource "google_compute_region_ssl_certificate" "regional_lb_cert" {
  name        = "regional-lb-cert"
  region      = "europe-west1"
  description = "[serverless-lb:regional-lb] self-managed certificate for the HTTPS proxy"
  certificate = file("<repo>/docs/examples/certs/example.com.crt")
  private_key = file("<repo>/docs/examples/certs/example.com.key")
}

# serverless NEG in europe-west1 for backend web: Cloud Run service web
resource "google_compute_region_network_endpoint_group" "regional_lb_web_neg_europe_west1" {
  name                  = "regional-lb-web-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:regional-lb] serverless NEG in europe-west1 for backend web: Cloud Run service web"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web"
  }
}

# backend service for backend web
resource "google_compute_region_backend_service" "regional_lb_web_bs" {
  name                  = "regional-lb-web-bs"
  region                = "europe-west1"
  description           = "[serverless-lb:regional-lb] backend service for backend web"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"

  backend {
    group = google_compute_region_network_endpoint_group.regional_lb_web_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_region_url_map" "regional_lb_urlmap" {
  name            = "regional-lb-urlmap"
  region          = "europe-west1"
  description     = "[serverless-lb:regional-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_region_backend_service.regional_lb_web_bs.id
}

# HTTPS proxy: terminates TLS
resource "google_compute_region_target_https_proxy" "regional_lb_https_proxy" {
  name             = "regional-lb-https-proxy"
  region           = "europe-west1"
  description      = "[serverless-lb:regional-lb] HTTPS proxy: terminates TLS"
  url_map          = google_compute_region_url_map.regional_lb_urlmap.id
  ssl_certificates = [google_compute_region_ssl_certificate.regional_lb_cert.id]
}

# HTTPS forwarding rule on port 443 in europe-west1
resource "google_compute_forwarding_rule" "regional_lb_https_fr" {
  name                  = "regional-lb-https-fr"
  region                = "europe-west1"
  description           = "[serverless-lb:regional-lb] HTTPS forwarding rule on port 443 in europe-west1"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_address.regional_lb_ip.id
  target                = google_compute_region_target_https_proxy.regional_lb_https_proxy.id
  network               = data.google_compute_network.default.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "regional-lb"
  }
}

# let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "web" {
  project    = var.project
  location   = "europe-west1"
  name       = "web"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [google_compute_forwarding_rule.regional_lb_https_fr]
}

# Cloud Run service web (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update web --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project
