# serverless-lb: Terraform configuration for load balancer "gae-lb" in project "demo-project".
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
resource "google_compute_global_address" "gae_lb_ip" {
  name         = "gae-lb-ip"
  description  = "[serverless-lb:gae-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = {
    "serverless-lb" = "gae-lb"
  }
}

# Google-managed certificate for the HTTPS proxy
resource "google_compute_managed_ssl_certificate" "gae_lb_cert" {
  name        = "gae-lb-cert"
  description = "[serverless-lb:gae-lb] Google-managed certificate for the HTTPS proxy"

  managed {
    domains = ["www.example.com", "admin.example.com"]
  }
}

# serverless NEG in europe-west1 for backend gae: App Engine default
resource "google_compute_region_network_endpoint_group" "gae_lb_gae_neg_europe_west1" {
  name                  = "gae-lb-gae-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:gae-lb] serverless NEG in europe-west1 for backend gae: App Engine default"
  network_endpoint_type = "SERVERLESS"

  app_engine {
    service = "default"
  }
}

# serverless NEG in europe-west1 for backend gae-admin: App Engine admin version v2
resource "google_compute_region_network_endpoint_group" "gae_lb_gae_admin_neg_europe_west1" {
  name                  = "gae-lb-gae-admin-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:gae-lb] serverless NEG in europe-west1 for backend gae-admin: App Engine admin version v2"
  network_endpoint_type = "SERVERLESS"

  app_engine {
    service = "admin"
    version = "v2"
  }
}

# backend service for backend gae
resource "google_compute_backend_service" "gae_lb_gae_bs" {
  name                  = "gae-lb-gae-bs"
  description           = "[serverless-lb:gae-lb] backend service for backend gae"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.gae_lb_gae_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# backend service for backend gae-admin
resource "google_compute_backend_service" "gae_lb_gae_admin_bs" {
  name                  = "gae-lb-gae-admin-bs"
  description           = "[serverless-lb:gae-lb] backend service for backend gae-admin"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.gae_lb_gae_admin_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "gae_lb_urlmap" {
  name            = "gae-lb-urlmap"
  description     = "[serverless-lb:gae-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.gae_lb_gae_bs.id

  host_rule {
    hosts        = ["admin.example.com"]
    path_matcher = "hosts-1"
  }

  path_matcher {
    name            = "hosts-1"
    default_service = google_compute_backend_service.gae_lb_gae_admin_bs.id
  }
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "gae_lb_https_proxy" {
  name             = "gae-lb-https-proxy"
  description      = "[serverless-lb:gae-lb] HTTPS proxy: terminates TLS"
  url_map          = google_compute_url_map.gae_lb_urlmap.id
  ssl_certificates = [google_compute_managed_ssl_certificate.gae_lb_cert.id]
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "gae_lb_https_fr" {
  name                  = "gae-lb-https-fr"
  description           = "[serverless-lb:gae-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.gae_lb_ip.id
  target                = google_compute_target_https_proxy.gae_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "gae-lb"
  }
}
