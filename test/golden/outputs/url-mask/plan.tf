# serverless-lb: Terraform configuration for load balancer "mask-lb" in project "demo-project".
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

# external IP address of the load balancer
resource "google_compute_global_address" "mask_lb_ip" {
  name         = "mask-lb-ip"
  description  = "[serverless-lb:mask-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = {
    "serverless-lb" = "mask-lb"
  }
}

# Google-managed certificate for the HTTPS proxy
resource "google_compute_managed_ssl_certificate" "mask_lb_cert" {
  name        = "mask-lb-cert"
  description = "[serverless-lb:mask-lb] Google-managed certificate for the HTTPS proxy"

  managed {
    domains = ["web.example.com", "api.example.com", "static.example.com"]
  }
}

# serverless NEG in europe-west1 for backend services: URL mask <service>.example.com
resource "google_compute_region_network_endpoint_group" "mask_lb_services_neg_europe_west1" {
  name                  = "mask-lb-services-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:mask-lb] serverless NEG in europe-west1 for backend services: URL mask <service>.example.com"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    url_mask = "<service>.example.com"
  }
}

# backend service for backend services
resource "google_compute_backend_service" "mask_lb_services_bs" {
  name                  = "mask-lb-services-bs"
  description           = "[serverless-lb:mask-lb] backend service for backend services"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.mask_lb_services_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "mask_lb_urlmap" {
  name            = "mask-lb-urlmap"
  description     = "[serverless-lb:mask-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.mask_lb_services_bs.id
}

# URL map that redirects HTTP to HTTPS
resource "google_compute_url_map" "mask_lb_redirect_urlmap" {
  name        = "mask-lb-redirect-urlmap"
  description = "[serverless-lb:mask-lb] URL map that redirects HTTP to HTTPS"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "mask_lb_https_proxy" {
  name             = "mask-lb-https-proxy"
  description      = "[serverless-lb:mask-lb] HTTPS proxy: terminates TLS"
  url_map          = google_compute_url_map.mask_lb_urlmap.id
  ssl_certificates = [google_compute_managed_ssl_certificate.mask_lb_cert.id]
}

# HTTP proxy that redirects to HTTPS
resource "google_compute_target_http_proxy" "mask_lb_http_proxy" {
  name        = "mask-lb-http-proxy"
  description = "[serverless-lb:mask-lb] HTTP proxy that redirects to HTTPS"
  url_map     = google_compute_url_map.mask_lb_redirect_urlmap.id
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "mask_lb_https_fr" {
  name                  = "mask-lb-https-fr"
  description           = "[serverless-lb:mask-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.mask_lb_ip.id
  target                = google_compute_target_https_proxy.mask_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "mask-lb"
  }
}

# HTTP (redirect) forwarding rule on port 80
resource "google_compute_global_forwarding_rule" "mask_lb_http_fr" {
  name                  = "mask-lb-http-fr"
  description           = "[serverless-lb:mask-lb] HTTP (redirect) forwarding rule on port 80"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "80"
  ip_address            = google_compute_global_address.mask_lb_ip.id
  target                = google_compute_target_http_proxy.mask_lb_http_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "mask-lb"
  }
}
