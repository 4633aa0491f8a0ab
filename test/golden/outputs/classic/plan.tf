# serverless-lb: Terraform configuration for load balancer "classic-lb" in project "demo-project".
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

# Existing address reserved-ip: read, never changed. (existing reserved IP address of the load balancer)
data "google_compute_global_address" "reserved_ip" {
  name = "reserved-ip"
}

# Google-managed certificate for the HTTPS proxy
resource "google_compute_managed_ssl_certificate" "classic_lb_cert" {
  name        = "classic-lb-cert"
  description = "[serverless-lb:classic-lb] Google-managed certificate for the HTTPS proxy"

  managed {
    domains = ["classic.example.com"]
  }
}

# serverless NEG in europe-west1 for backend web: Cloud Run service web
resource "google_compute_region_network_endpoint_group" "classic_lb_web_neg_europe_west1" {
  name                  = "classic-lb-web-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:classic-lb] serverless NEG in europe-west1 for backend web: Cloud Run service web"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web"
  }
}

# backend service for backend web
resource "google_compute_backend_service" "classic_lb_web_bs" {
  name                  = "classic-lb-web-bs"
  description           = "[serverless-lb:classic-lb] backend service for backend web"
  load_balancing_scheme = "EXTERNAL"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.classic_lb_web_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "classic_lb_urlmap" {
  name            = "classic-lb-urlmap"
  description     = "[serverless-lb:classic-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.classic_lb_web_bs.id
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "classic_lb_https_proxy" {
  name             = "classic-lb-https-proxy"
  description      = "[serverless-lb:classic-lb] HTTPS proxy: terminates TLS"
  url_map          = google_compute_url_map.classic_lb_urlmap.id
  ssl_certificates = [google_compute_managed_ssl_certificate.classic_lb_cert.id]
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "classic_lb_https_fr" {
  name                  = "classic-lb-https-fr"
  description           = "[serverless-lb:classic-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = data.google_compute_global_address.reserved_ip.id
  target                = google_compute_target_https_proxy.classic_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "classic-lb"
  }
}

# let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "web" {
  project    = var.project
  location   = "europe-west1"
  name       = "web"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [google_compute_global_forwarding_rule.classic_lb_https_fr]
}

# Cloud Run service web (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update web --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project
