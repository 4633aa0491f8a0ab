# serverless-lb: Terraform configuration for load balancer "gw-lb" in project "demo-project".
# Secrets are not in this file: set the sensitive variables below from their files or environment.

terraform {
  required_providers {
    google      = {
      source = "hashicorp/google"
    }
    google-beta = {
      source = "hashicorp/google-beta"
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

provider "google-beta" {
  project = var.project
}

# external IP address of the load balancer
resource "google_compute_global_address" "gw_lb_ip" {
  name         = "gw-lb-ip"
  description  = "[serverless-lb:gw-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = {
    "serverless-lb" = "gw-lb"
  }
}

# Google-managed certificate for the HTTPS proxy
resource "google_compute_managed_ssl_certificate" "gw_lb_cert" {
  name        = "gw-lb-cert"
  description = "[serverless-lb:gw-lb] Google-managed certificate for the HTTPS proxy"

  managed {
    domains = ["gateway.example.com"]
  }
}

# serverless NEG in europe-west1 for backend gateway: API Gateway demo-gateway
resource "google_compute_region_network_endpoint_group" "gw_lb_gateway_neg_europe_west1" {
  provider              = google-beta
  name                  = "gw-lb-gateway-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:gw-lb] serverless NEG in europe-west1 for backend gateway: API Gateway demo-gateway"
  network_endpoint_type = "SERVERLESS"

  serverless_deployment {
    platform = "apigateway.googleapis.com"
    resource = "demo-gateway"
  }
}

# backend service for backend gateway
resource "google_compute_backend_service" "gw_lb_gateway_bs" {
  name                  = "gw-lb-gateway-bs"
  description           = "[serverless-lb:gw-lb] backend service for backend gateway"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.gw_lb_gateway_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "gw_lb_urlmap" {
  name            = "gw-lb-urlmap"
  description     = "[serverless-lb:gw-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.gw_lb_gateway_bs.id
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "gw_lb_https_proxy" {
  name             = "gw-lb-https-proxy"
  description      = "[serverless-lb:gw-lb] HTTPS proxy: terminates TLS"
  url_map          = google_compute_url_map.gw_lb_urlmap.id
  ssl_certificates = [google_compute_managed_ssl_certificate.gw_lb_cert.id]
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "gw_lb_https_fr" {
  name                  = "gw-lb-https-fr"
  description           = "[serverless-lb:gw-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.gw_lb_ip.id
  target                = google_compute_target_https_proxy.gw_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "gw-lb"
  }
}
