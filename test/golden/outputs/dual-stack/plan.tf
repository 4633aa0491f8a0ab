# serverless-lb: Terraform configuration for load balancer "dual-lb" in project "demo-project".
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
resource "google_compute_global_address" "dual_lb_ip" {
  name         = "dual-lb-ip"
  description  = "[serverless-lb:dual-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = {
    "serverless-lb" = "dual-lb"
  }
}

# external IP address of the load balancer
resource "google_compute_global_address" "dual_lb_ip_ipv6" {
  name         = "dual-lb-ip-ipv6"
  description  = "[serverless-lb:dual-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV6"
  labels       = {
    "serverless-lb" = "dual-lb"
  }
}

# Google-managed certificate for the HTTPS proxy
resource "google_compute_managed_ssl_certificate" "dual_lb_cert" {
  name        = "dual-lb-cert"
  description = "[serverless-lb:dual-lb] Google-managed certificate for the HTTPS proxy"

  managed {
    domains = ["www.example.com"]
  }
}

# serverless NEG in europe-west1 for backend static: Cloud Run service static
resource "google_compute_region_network_endpoint_group" "dual_lb_static_neg_europe_west1" {
  name                  = "dual-lb-static-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:dual-lb] serverless NEG in europe-west1 for backend static: Cloud Run service static"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "static"
  }
}

# backend service for backend static
resource "google_compute_backend_service" "dual_lb_static_bs" {
  name                  = "dual-lb-static-bs"
  description           = "[serverless-lb:dual-lb] backend service for backend static"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = true

  backend {
    group = google_compute_region_network_endpoint_group.dual_lb_static_neg_europe_west1.id
  }

  cdn_policy {
    cache_mode       = "CACHE_ALL_STATIC"
    default_ttl      = 3600
    client_ttl       = 600
    max_ttl          = 86400
    negative_caching = true
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "dual_lb_urlmap" {
  name            = "dual-lb-urlmap"
  description     = "[serverless-lb:dual-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.dual_lb_static_bs.id

  header_action {
    response_headers_to_add {
      header_name  = "Strict-Transport-Security"
      header_value = "max-age=31536000; includeSubDomains"
      replace      = true
    }
  }
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "dual_lb_https_proxy" {
  name             = "dual-lb-https-proxy"
  description      = "[serverless-lb:dual-lb] HTTPS proxy: terminates TLS"
  url_map          = google_compute_url_map.dual_lb_urlmap.id
  ssl_certificates = [google_compute_managed_ssl_certificate.dual_lb_cert.id]
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "dual_lb_https_fr" {
  name                  = "dual-lb-https-fr"
  description           = "[serverless-lb:dual-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.dual_lb_ip.id
  target                = google_compute_target_https_proxy.dual_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "dual-lb"
  }
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "dual_lb_https_fr_ipv6" {
  name                  = "dual-lb-https-fr-ipv6"
  description           = "[serverless-lb:dual-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.dual_lb_ip_ipv6.id
  target                = google_compute_target_https_proxy.dual_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "dual-lb"
  }
}

# A record for www.example.com in zone example-com
resource "google_dns_record_set" "www_example_com_" {
  name         = "www.example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.dual_lb_ip.address]
  depends_on   = [
    google_compute_global_forwarding_rule.dual_lb_https_fr,
    google_compute_global_forwarding_rule.dual_lb_https_fr_ipv6,
  ]
}

# AAAA record for www.example.com in zone example-com
resource "google_dns_record_set" "www_example_com__AAAA" {
  name         = "www.example.com."
  managed_zone = "example-com"
  type         = "AAAA"
  ttl          = 300
  rrdatas      = [google_compute_global_address.dual_lb_ip_ipv6.address]
  depends_on   = [
    google_compute_global_forwarding_rule.dual_lb_https_fr,
    google_compute_global_forwarding_rule.dual_lb_https_fr_ipv6,
  ]
}

# let allUsers invoke Cloud Run service static in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "static" {
  project    = var.project
  location   = "europe-west1"
  name       = "static"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.dual_lb_https_fr,
    google_compute_global_forwarding_rule.dual_lb_https_fr_ipv6,
  ]
}

# Cloud Run service static (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service static in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update static --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project
